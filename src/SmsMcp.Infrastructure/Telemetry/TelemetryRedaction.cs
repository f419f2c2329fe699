using System.Diagnostics;
using OpenTelemetry;

namespace SmsMcp.Infrastructure.Telemetry;

/// <summary>
/// Rewrites, before anything exports a span, the tags that carry what a client sent or a caller-supplied value the
/// server put in a URL: the request path (<c>/admin/callers/{callerId}/…</c>, or any path at all), query, Host header,
/// User-Agent and non-standard method of server spans, and the path of outgoing calls (a Twilio lookup puts the phone
/// number in it). The log sanitizer does the same for log lines; spans need it separately because the ASP.NET Core and
/// HttpClient instrumentations read the request themselves. Registered before the exporters, so Application Insights
/// (requests, dependencies and live metrics alike) only ever sees the rewritten values.
/// </summary>
/// <param name="isServedPath">Whether a request path is one this server maps exactly (kept as it is).</param>
internal sealed class TelemetryRedaction(Func<string, bool> isServedPath) : BaseProcessor<Activity>
{
    public const string Redacted = "[redacted]";

    // Current and earlier HTTP semantic conventions: the instrumentations emit the former, Azure.Core the latter.
    private static readonly HashSet<string> RequestPathTags = new(StringComparer.Ordinal) { "url.path", "http.target" };
    private static readonly HashSet<string> QueryTags = new(StringComparer.Ordinal) { "url.query" };
    private static readonly HashSet<string> FullUrlTags = new(StringComparer.Ordinal) { "url.full", "http.url" };
    private static readonly HashSet<string> DroppedTags = new(StringComparer.Ordinal)
    {
        "user_agent.original", "http.user_agent", "http.request.method_original",
    };

    private static readonly HashSet<string> HostTags = new(StringComparer.Ordinal) { "server.address", "http.host" };

    public override void OnEnd(Activity activity)
    {
        List<KeyValuePair<string, string?>>? changes = null;
        foreach (var (key, value) in activity.TagObjects)
        {
            var replacement = Rewrite(activity.Kind, key, value as string, out var changed);
            if (changed)
            {
                (changes ??= []).Add(new(key, replacement));
            }
        }

        if (changes is null)
        {
            return;
        }

        foreach (var (key, replacement) in changes)
        {
            // A null value removes the tag.
            activity.SetTag(key, replacement);
        }
    }

    private string? Rewrite(ActivityKind kind, string key, string? value, out bool changed)
    {
        changed = true;
        if (DroppedTags.Contains(key))
        {
            return null;
        }

        if (value is null or "")
        {
            changed = false;
            return value;
        }

        if (RequestPathTags.Contains(key) && kind == ActivityKind.Server)
        {
            var path = key == "http.target" ? value.Split('?')[0] : value;
            var kept = isServedPath(path) ? path : "/" + Redacted;
            changed = kept != value;
            return kept;
        }

        if (QueryTags.Contains(key))
        {
            // ASP.NET Core's instrumentation keeps the leading '?', which the exporter puts after the path as it is.
            return value[0] == '?' ? "?" + Redacted : Redacted;
        }

        if (FullUrlTags.Contains(key))
        {
            var redacted = OutgoingUrl.Redact(value);
            changed = redacted != value;
            return redacted;
        }

        if (HostTags.Contains(key) && kind == ActivityKind.Server)
        {
            changed = !LoopbackHost.IsLoopback(value);
            return changed ? Redacted : value;
        }

        changed = false;
        return value;
    }
}
