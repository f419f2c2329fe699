namespace SmsMcp.Http.Webhooks;

/// <summary>Inbound webhooks (configuration section <c>Webhooks</c>).</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>
    /// The public scheme, host and (optional) path prefix Twilio calls, e.g. <c>https://smsmcp.example.com</c>.
    /// Signatures cover the URL Twilio requested; behind the Functions front end or another proxy the app sees a
    /// different host and scheme, so the URL is rebuilt from this plus the request's path and query. Default: none —
    /// the URL is taken from the request itself, which is right only when nothing rewrites it. Forwarded headers change
    /// it only when <c>ForwardedHeaders</c> is enabled for a known proxy: any caller can send them.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>The URL Twilio signed for a request with this path and raw query (<c>?…</c> or empty).</summary>
    public string PublicUrl(string requestScheme, string requestHost, string pathBase, string path, string query) =>
        PublicBaseUrl is { Length: > 0 } configured
            ? configured.TrimEnd('/') + path + query
            : $"{requestScheme}://{requestHost}{pathBase}{path}{query}";
}
