using SmsMcp.Core.Content;

namespace SmsMcp.Core.Messages;

/// <summary>A message this server issued, as stored. Holds the masked number and a pseudonym, never the body.</summary>
public sealed record MessageRecord
{
    public required string MessageId { get; init; }
    public required string CallerId { get; init; }
    public required string RecipientMasked { get; init; }
    public required string RecipientRef { get; init; }
    public string? Alias { get; init; }
    public required MessageStatus Status { get; init; }
    public required int Segments { get; init; }
    public required SmsEncoding Encoding { get; init; }
    public required string Provider { get; init; }
    public string? ProviderMessageId { get; init; }

    /// <summary>The carrier's error code for an undelivered or failed message (Twilio's <c>ErrorCode</c>), when it gave one.</summary>
    public int? ErrorCode { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
}
