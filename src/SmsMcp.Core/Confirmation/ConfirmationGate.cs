using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SmsMcp.Core.Storage;
using SmsMcp.Core.Vocabulary;

namespace SmsMcp.Core.Confirmation;

/// <summary>
/// Issues the request state of a client confirmation and redeems it: a redeemed state was issued by this server (HMAC),
/// for this caller and this exact request, is unexpired, and had never been redeemed before (recorded in the ledger, so
/// a second redemption anywhere is refused). Knows nothing of MCP; the tool layer carries the state and the answer.
/// </summary>
public sealed class ConfirmationGate(
    ConfirmationStateCodec codec,
    ConfirmationLedger ledger,
    IOptions<ConfirmationOptions> options,
    TimeProvider time,
    ILogger<ConfirmationGate> logger)
{
    /// <summary>The keyed digest a state is bound to (see <see cref="ConfirmationStateCodec.RequestDigest"/>).</summary>
    public string RequestDigest(string callerId, string profile, string? to, string? body, string? idempotencyKey) =>
        codec.RequestDigest(callerId, profile, to, body, idempotencyKey);

    /// <summary>A new request state for <paramref name="callerId"/>'s request, valid for the configured lifetime.</summary>
    public string Issue(string callerId, string requestDigest) =>
        codec.Encode(ConfirmationStateCodec.NewState(callerId, requestDigest, time.GetUtcNow() + options.Value.Lifetime));

    /// <summary>
    /// Redeems <paramref name="token"/> for this caller and request: null when it may proceed (and it can never be
    /// redeemed again), otherwise why not. A state that fails any check is not marked used (it could not be redeemed anyway).
    /// </summary>
    public async Task<Refusal?> RedeemAsync(string callerId, string requestDigest, string? token, CancellationToken cancellationToken)
    {
        var state = codec.Decode(token);
        if (state is null
            || !string.Equals(state.CallerId, callerId, StringComparison.Ordinal)
            || !string.Equals(state.RequestDigest, requestDigest, StringComparison.Ordinal))
        {
            logger.LogWarning("A confirmation state from caller {CallerId} was altered, or made for another caller or request; refused.", callerId);
            return Refusal.ConfirmationInvalid;
        }

        if (time.GetUtcNow() >= state.ExpiresAt)
        {
            return Refusal.ConfirmationExpired;
        }

        try
        {
            if (await ledger.TryUseAsync(state, cancellationToken))
            {
                return null;
            }
        }
        catch (StorageException e)
        {
            logger.LogError(e, "The confirmation ledger could not be written for caller {CallerId}; refusing to send.", callerId);
            return Refusal.StorageUnavailable;
        }

        logger.LogWarning("A confirmation state from caller {CallerId} was used a second time; refused.", callerId);
        return Refusal.ConfirmationReplayed;
    }
}
