using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Primitives;
using SmsMcp.Core.Delivery;
using SmsMcp.Core.Messages;
using SmsMcp.Infrastructure.Twilio;

namespace SmsMcp.Http.Webhooks;

/// <summary>
/// Reads a signed Twilio status callback into a <see cref="DeliveryReport"/>. Our message id comes only from the URL's
/// <c>mid</c> parameter, which the signature covers (we put it there when sending); the form gives Twilio's
/// <c>MessageSid</c>, <c>MessageStatus</c>, <c>ErrorCode</c> and <c>To</c>.
/// </summary>
public static partial class TwilioStatusCallback
{
    /// <summary>
    /// The report, or null when the callback does not name exactly one well-formed message of ours and a well-formed
    /// Twilio message, or repeats any parameter name: Twilio never sends one twice, and a repeated name leaves it
    /// unclear which value a check read (a repeated <c>AccountSid</c> must not read as an absent one).
    /// </summary>
    public static DeliveryReport? Read(StringValues messageIds, IReadOnlyCollection<KeyValuePair<string, string>> form, string? accountSid)
    {
        if (messageIds is not [{ } messageId] || !MessageStore.IsWellFormedId(messageId) || HasRepeatedName(form))
        {
            return null;
        }

        var sid = Single(form, "MessageSid");
        if (sid is null || !MessageSidPattern().IsMatch(sid))
        {
            return null;
        }

        // A callback for another account (signed with the same token) has nothing to do with our messages.
        if (Single(form, "AccountSid") is { } account && accountSid is not null && !string.Equals(account, accountSid, StringComparison.Ordinal))
        {
            return null;
        }

        int? errorCode = int.TryParse(Single(form, "ErrorCode"), NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code > 0 ? code : null;
        return TwilioDeliveryReports.From(messageId, sid, Single(form, "MessageStatus"), errorCode, Single(form, "To"));
    }

    /// <summary>True when two parameters share a name (compared ordinally, as Twilio spells them).</summary>
    public static bool HasRepeatedName(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return parameters.Any(p => !seen.Add(p.Key));
    }

    // Names are unique here (checked first), so the first match is the only one.
    private static string? Single(IReadOnlyCollection<KeyValuePair<string, string>> form, string name) =>
        form.FirstOrDefault(p => p.Key == name) is { Key: not null } p ? p.Value : null;

    [GeneratedRegex("^(SM|MM)[0-9a-fA-F]{32}$")]
    private static partial Regex MessageSidPattern();
}
