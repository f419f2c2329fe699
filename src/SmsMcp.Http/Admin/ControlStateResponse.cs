using System.Text.Json.Serialization;
using SmsMcp.Core.Controls;

namespace SmsMcp.Http.Admin;

/// <summary>A runtime control as the admin endpoint shows it (wire type, snake_case; null caller = global).</summary>
public sealed record ControlStateResponse(
    [property: JsonPropertyName("control")] string Control,
    [property: JsonPropertyName("caller_id")] string? CallerId,
    [property: JsonPropertyName("engaged")] bool Engaged,
    [property: JsonPropertyName("changed_by")] string? ChangedBy,
    [property: JsonPropertyName("changed_at")] DateTimeOffset? ChangedAt)
{
    public static ControlStateResponse From(string control, string? callerId, ControlState state) =>
        new(control, callerId, state.Engaged, state.ChangedBy, state.ChangedAt);
}
