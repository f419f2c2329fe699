using SmsMcp.Core.Phone;

namespace SmsMcp.Core.Lookup;

/// <summary>
/// The carrier's view of one number, asked by <see cref="LookupGuard"/> before a first contact. Each provider brings its
/// own: Twilio Lookup v2 (<c>TwilioNumberLookup</c>, billed per request) or the sandbox's offline answer.
/// </summary>
public interface INumberLookup
{
    /// <summary>
    /// Looks <paramref name="number"/> up. Throws <see cref="NumberLookupUnavailableException"/> when there is no usable
    /// answer (timeout, 5xx, credentials, network, an answer without line type or risk score).
    /// </summary>
    Task<NumberLookupAnswer> LookupAsync(PhoneNumber number, CancellationToken cancellationToken);
}
