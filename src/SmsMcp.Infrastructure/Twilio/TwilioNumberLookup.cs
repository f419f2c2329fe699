using SmsMcp.Core.Lookup;
using SmsMcp.Core.Phone;

namespace SmsMcp.Infrastructure.Twilio;

/// <summary>
/// <see cref="INumberLookup"/> through Twilio Lookup v2 (line type intelligence and SMS pumping risk, both billed per
/// request). Any failure of the request — timeout, 5xx after retries, 429, credentials, network — and an answer for a
/// valid number without a line type or a risk score (a package not enabled on the account) is "unavailable".
/// </summary>
public sealed class TwilioNumberLookup(TwilioApi client) : INumberLookup
{
    public async Task<NumberLookupAnswer> LookupAsync(PhoneNumber number, CancellationToken cancellationToken)
    {
        TwilioLookupResult result;
        try
        {
            result = await client.LookupAsync(number, cancellationToken);
        }
        catch (TwilioRequestException e)
        {
            // The client's message carries operation, HTTP status and Twilio error code only: no URL, so no number.
            throw new NumberLookupUnavailableException(e.Message);
        }

        if (!result.Valid)
        {
            return new NumberLookupAnswer(false, result.LineType ?? "unknown", result.SmsPumpingRiskScore ?? 0);
        }

        if (result.LineType is not { } lineType || result.SmsPumpingRiskScore is not { } risk)
        {
            throw new NumberLookupUnavailableException("lookup: Twilio's answer has no line type or no SMS pumping risk score.");
        }

        return new NumberLookupAnswer(true, lineType, risk);
    }
}
