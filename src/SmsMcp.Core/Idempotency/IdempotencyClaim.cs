using SmsMcp.Core.Outcomes;
using SmsMcp.Core.Vocabulary;


namespace SmsMcp.Core.Idempotency;

/// <summary>
/// The answer to "may I send under this key?": either this call now owns the key (<see cref="Owned"/>,
/// with the ETag to complete or release it and the <see cref="Nonce"/> that marks the stored claim as this
/// call's), or an earlier call's <see cref="Replay"/>, or a refusal.
/// </summary>
public sealed record IdempotencyClaim(bool Owned, string? ETag, SendResult? Replay, Refusal? Refusal, string? Nonce = null)
{
    public static IdempotencyClaim NotRequested { get; } = new(false, null, null, null);
}
