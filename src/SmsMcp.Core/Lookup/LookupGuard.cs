using Microsoft.Extensions.Logging;
using SmsMcp.Core.Callers;
using SmsMcp.Core.Phone;
using SmsMcp.Core.Policy;
using SmsMcp.Core.Quotas;
using SmsMcp.Core.Storage;
using SmsMcp.Core.Vocabulary;

namespace SmsMcp.Core.Lookup;

/// <summary>
/// First-contact lookup (policy <c>profiles.{name}.lookup</c>): before a caller texts a number it never texted, the
/// carrier says what the number is, and blocked line types and high SMS pumping risk are refused. The policy's own number
/// classes only know ranges; a lookup also knows ported, toll-free and pumping-target numbers inside ordinary ranges.
/// Answers are cached (<see cref="LookupCache"/>); a known contact is never looked up again.
/// </summary>
/// <remarks>
/// Lookups are billed, so before one is asked the send must pass its quotas and spend caps (read only) and the lookup
/// must fit in the caller's daily lookup budget (<see cref="QuotaGate.TakeLookupAsync"/>): an agent cannot spend lookups
/// on sends a quota would refuse anyway, nor loop over fresh numbers without bound.
/// </remarks>
public sealed class LookupGuard(PolicyEngine policy, LookupCache cache, INumberLookup lookup, QuotaGate quotas, ILogger<LookupGuard> logger)
{
    /// <summary>
    /// Null when <paramref name="caller"/> may text <paramref name="number"/> as far as the lookup goes, else the refusal.
    /// With <paramref name="mayLookUp"/> false only a cached answer is used (a preview must not spend billed lookups),
    /// and an uncached number passes. A store that cannot answer refuses (fail closed). <paramref name="segments"/> is
    /// the send's size, for the quota check before a billed lookup. <paramref name="knownContact"/> is whether the caller
    /// already texted the number (the contact book, read by the caller of this method so that one send reads it once).
    /// </summary>
    public async Task<Refusal?> CheckAsync(CallerIdentity caller, PhoneNumber number, string recipientRef, int segments, bool knownContact, bool mayLookUp, CancellationToken cancellationToken)
    {
        var rules = policy.LookupFor(caller);
        if (rules.Mode == LookupMode.Off || knownContact)
        {
            return null;
        }

        NumberLookupAnswer? answer;
        try
        {
            answer = await cache.GetAsync(recipientRef, cancellationToken);
        }
        catch (StorageException e)
        {
            logger.LogError(e, "Lookup cache could not be read for caller {CallerId}; refusing to send.", caller.Id);
            return Refusal.StorageUnavailable;
        }

        if (answer is null)
        {
            if (!mayLookUp)
            {
                return null;
            }

            try
            {
                if (await quotas.TakeLookupAsync(caller, number, segments, cancellationToken) is { } refusal)
                {
                    return refusal;
                }
            }
            catch (StorageException e)
            {
                logger.LogError(e, "Quotas or the lookup budget could not be read for caller {CallerId}; refusing to send.", caller.Id);
                return Refusal.StorageUnavailable;
            }

            // The budget unit is taken and the lookup may be billed once asked, so it runs to the end whatever the caller
            // does (see LookUpAsync); a caller that gave up and retries then finds the answer cached.
            answer = await LookUpAsync(number, recipientRef);
            if (answer is null)
            {
                if (rules.OnUnavailable == LookupFallback.Refuse)
                {
                    return Refusal.LookupUnavailable;
                }

                logger.LogWarning("Lookup unavailable for recipient {RecipientRef} of caller {CallerId}; the profile allows sending unchecked.", recipientRef, caller.Id);
                return null;
            }
        }

        return Judge(rules, answer);
    }

    private static Refusal? Judge(LookupRules rules, NumberLookupAnswer answer) =>
        !answer.Valid ? Refusal.InvalidNumber
        : rules.BlockedLineTypes.Contains(answer.LineType) ? Refusal.LineTypeBlocked
        : answer.SmsPumpingRisk > rules.MaxSmsPumpingRisk ? Refusal.SmsPumpingRisk
        : null;

    /// <summary>
    /// The answer, cached when it came; null when the lookup could not answer (nothing is cached then). Not cancellable:
    /// a lookup cancelled midway may still be billed, and its answer would be lost and paid for (and budgeted) again; the
    /// Twilio client's own timeouts bound it.
    /// </summary>
    private async Task<NumberLookupAnswer?> LookUpAsync(PhoneNumber number, string recipientRef)
    {
        NumberLookupAnswer answer;
        try
        {
            answer = await lookup.LookupAsync(number, CancellationToken.None);
        }
        catch (NumberLookupUnavailableException e)
        {
            // The exception's message names the failure kind only (see NumberLookupUnavailableException).
            logger.LogWarning("Lookup for recipient {RecipientRef} failed: {Failure}", recipientRef, e.Message);
            return null;
        }

        try
        {
            await cache.PutAsync(recipientRef, answer, CancellationToken.None);
        }
        catch (StorageException e)
        {
            // The answer itself is good; the next first contact with this number pays for another lookup.
            logger.LogError(e, "Lookup answer for recipient {RecipientRef} could not be cached.", recipientRef);
        }

        return answer;
    }
}
