using System.Text.Json;
using System.Text.Json.Serialization;

namespace SmsMcp.Core.Watchdog.Alerts;

/// <summary>The JSON body of the generic webhook and the local alert file: one object per alert.</summary>
public sealed record AlertPayload(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp,
    [property: JsonPropertyName("data")] AlertPayloadData Data)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static AlertPayload From(Alert alert) => new(
        alert.Kind == AlertKind.Opened ? "watchdog.alert.opened" : "watchdog.alert.resolved",
        alert.Id,
        alert.At,
        new AlertPayloadData(alert.Rule, alert.Scope, alert.CallerId, alert.Critical ? "critical" : "warning", alert.Summary, alert.Headline,
            alert.Facts, alert.CallerSuspended, alert.OpenedAt));

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}

/// <summary>What the alert is about (<see cref="AlertPayload.Data"/>).</summary>
public sealed record AlertPayloadData(
    [property: JsonPropertyName("rule")] string Rule,
    [property: JsonPropertyName("scope")] string Scope,
    [property: JsonPropertyName("callerId")] string? CallerId,
    [property: JsonPropertyName("severity")] string Severity,
    [property: JsonPropertyName("summary")] string Summary,
    [property: JsonPropertyName("headline")] string Headline,
    [property: JsonPropertyName("facts")] IReadOnlyDictionary<string, string> Facts,
    [property: JsonPropertyName("callerSuspended")] bool CallerSuspended,
    [property: JsonPropertyName("openedAt")] DateTimeOffset OpenedAt);
