using System.Text.Json.Serialization;

namespace SmsMcp.Infrastructure.Sandbox;

/// <summary>One line of the sandbox outbox: what a real carrier would have delivered.</summary>
public sealed record SandboxOutboxLine(
    [property: JsonPropertyName("message_id")] string MessageId,
    [property: JsonPropertyName("provider_message_id")] string ProviderMessageId,
    [property: JsonPropertyName("to")] string To,
    [property: JsonPropertyName("body")] string Body,
    [property: JsonPropertyName("segments")] int Segments,
    [property: JsonPropertyName("encoding")] string Encoding,
    [property: JsonPropertyName("time")] DateTimeOffset Time);
