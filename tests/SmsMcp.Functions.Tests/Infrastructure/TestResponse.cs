using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace SmsMcp.Functions.Tests.Infrastructure;

/// <summary>What a host answered: status, the headers that carry meaning, and the body (SSE read as its JSON messages).</summary>
public sealed record TestResponse(int Status, string? ContentType, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    /// <summary>Headers whose values must agree between the hosts.</summary>
    public static readonly string[] Compared = ["Allow", "WWW-Authenticate", "Cache-Control"];

    public string Text => Encoding.UTF8.GetString(Body);

    /// <summary>The body for comparison: each SSE <c>data:</c> payload as normalized JSON, or the raw text.</summary>
    public string NormalizedBody => ContentType?.StartsWith("text/event-stream", StringComparison.Ordinal) == true
        ? string.Join("\n", Text.Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => JsonNode.Parse(l["data: ".Length..])!.ToJsonString()))
        : Text;

    public static async Task<TestResponse> FromAsync(HttpResponseMessage response)
    {
        var headers = Compared
            .Select(h => (h, Values: response.Headers.TryGetValues(h, out var v) ? v : response.Content.Headers.TryGetValues(h, out var c) ? c : null))
            .Where(p => p.Values is not null)
            .ToDictionary(p => p.h, p => Normalize(p.Values!), StringComparer.OrdinalIgnoreCase);
        return new TestResponse((int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), headers, await response.Content.ReadAsByteArrayAsync());
    }

    // HttpClient parses some headers (Cache-Control) and writes their directives back in its own order, so the
    // comparison is over the set of comma-separated items, not their order.
    private static string Normalize(IEnumerable<string> values) =>
        string.Join(", ", values.SelectMany(v => v.Split(',')).Select(v => v.Trim()).Where(v => v.Length > 0).Order(StringComparer.Ordinal));

    public static TestResponse From(HttpResponse response, byte[] body)
    {
        var headers = Compared
            .Where(h => response.Headers.ContainsKey(h))
            .ToDictionary(h => h, h => Normalize(response.Headers[h].ToArray()!), StringComparer.OrdinalIgnoreCase);
        return new TestResponse(response.StatusCode, response.ContentType, headers, body);
    }
}
