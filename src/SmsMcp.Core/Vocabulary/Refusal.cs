namespace SmsMcp.Core.Vocabulary;

/// <summary>
/// Why a request was not carried out: a stable <see cref="Code"/> (see <see cref="ReasonCodes"/>) and one
/// sentence a model can act on. The sentence never names numbers, bodies or the policy's contents.
/// </summary>
public sealed record Refusal(string Code, string Message)
{
    public static Refusal InvalidNumber { get; } = new(ReasonCodes.InvalidNumber,
        "The recipient is not a valid E.164 number: use '+' followed by the country code and number, digits only, or use a recipient alias from list_recipients.");
    public static Refusal InvalidRecipient { get; } = new(ReasonCodes.InvalidRecipient,
        "The recipient must be an E.164 number such as +12025550123 or an alias made of letters, digits, '-', '_' or '.'.");
    public static Refusal RecipientNotAllowed { get; } = new(ReasonCodes.RecipientNotAllowed,
        "You are not allowed to text this recipient. Call list_recipients to see whom you may text.");
    public static Refusal CallerNotPermitted { get; } = new(ReasonCodes.CallerNotPermitted,
        "Your caller identity has no permission to send messages. Ask the operator to give it a send profile.");
    public static Refusal NumberClassBlocked { get; } = new(ReasonCodes.NumberClassBlocked,
        "Premium-rate, shared-cost, satellite, freephone and other special-rate numbers cannot be texted. Use a recipient alias from list_recipients.");
    public static Refusal CountryNotAllowed { get; } = new(ReasonCodes.CountryNotAllowed,
        "You are not allowed to text numbers in this country. Call list_recipients to see whom you may text.");
    public static Refusal TooManySegments { get; } = new(ReasonCodes.TooManySegments,
        "The message takes more SMS segments than you may send at once: shorten it (emoji and characters outside GSM-7 cost more); preview_sms shows the count.");
    public static Refusal BidiControl { get; } = new(ReasonCodes.BidiControl,
        "The message contains text-direction override, isolate or mark characters, which can disguise text: remove them and send plain text.");
    public static Refusal InvisibleCharacters { get; } = new(ReasonCodes.InvisibleCharacters,
        "The message contains invisible, control or private-use characters (such as zero-width spaces): remove them and send plain text.");
    public static Refusal UrlNotAllowed { get; } = new(ReasonCodes.UrlNotAllowed,
        "The message contains a link or web address (with or without http://) that you may not send: remove it. If it is not meant as a link, put a space after the full stop.");
    public static Refusal UrlShortener { get; } = new(ReasonCodes.UrlShortener,
        "The message contains a URL-shortener link, which is never allowed because it hides where it goes: remove it.");
    public static Refusal UrlLookalikeHost { get; } = new(ReasonCodes.UrlLookalikeHost,
        "The message contains a web address whose host has non-ASCII, punycode or encoded characters and can imitate another site: remove it.");
    public static Refusal UrlIpLiteral { get; } = new(ReasonCodes.UrlIpLiteral,
        "The message contains a link to a numeric IP address, which is never allowed: remove it.");
    public static Refusal UrlUserinfo { get; } = new(ReasonCodes.UrlUserinfo,
        "The message contains a web address with a user part before '@', a way to disguise where a link goes: remove it.");
    public static Refusal ContentNotAllowed { get; } = new(ReasonCodes.ContentNotAllowed,
        "The message contains content the operator does not allow: rephrase it.");
    public static Refusal ContentCheckFailed { get; } = new(ReasonCodes.ContentCheckFailed,
        "The message could not be checked in time, so it was not sent: shorten or simplify it.");
    public static Refusal SendingDisabled { get; } = new(ReasonCodes.SendingDisabled,
        "Sending is switched off by the operator right now, so nothing was sent. Do not retry until the operator turns it back on.");
    public static Refusal RecipientOptedOut { get; } = new(ReasonCodes.RecipientOptedOut,
        "This recipient has opted out of messages (for example by replying STOP), so nothing was sent. Do not retry or work around it.");
    public static Refusal LineTypeBlocked { get; } = new(ReasonCodes.LineTypeBlocked,
        "The carrier lookup says this number is a kind of line that cannot be texted from here (such as premium-rate, toll-free, pager or voicemail), so nothing was sent. Do not retry; use a recipient alias from list_recipients.");
    public static Refusal SmsPumpingRisk { get; } = new(ReasonCodes.SmsPumpingRisk,
        "The carrier lookup rates this number as a likely SMS-fraud target, so nothing was sent. Do not retry or work around it; ask an operator.");
    public static Refusal LookupUnavailable { get; } = new(ReasonCodes.LookupUnavailable,
        "This number has not been texted before and the carrier lookup that must check it first is not answering, so nothing was sent. Try again later.");
    public static Refusal LookupBudgetExceeded { get; } = new(ReasonCodes.LookupBudgetExceeded,
        "Today's budget of carrier lookups for numbers you have not texted before is used up, so nothing was sent. Numbers you already texted still work; new ones again tomorrow (UTC).");
    public static Refusal EmptyBody { get; } = new(ReasonCodes.EmptyBody, "The message body is empty: write the text to send.");
    public static Refusal BodyTooLong { get; } = new(ReasonCodes.BodyTooLong,
        $"The message body is longer than {SendLimits.MaxBodyLength} characters: shorten it.");
    public static Refusal InvalidIdempotencyKey { get; } = new(ReasonCodes.InvalidIdempotencyKey,
        $"The idempotency_key must be 1 to {SendLimits.MaxIdempotencyKeyLength} characters of letters, digits, '-', '_', '.' or ':'.");
    public static Refusal IdempotencyKeyReused { get; } = new(ReasonCodes.IdempotencyKeyReused,
        "This idempotency_key was already used for a different message: use a new key for a new message.");
    public static Refusal IdempotencyInProgress { get; } = new(ReasonCodes.IdempotencyInProgress,
        "A send with this idempotency_key is still in progress: check again shortly with the same key, do not use a new one.");
    public static Refusal StorageUnavailable { get; } = new(ReasonCodes.StorageUnavailable,
        "The server cannot record this send right now, so nothing was sent. Try again later.");
    public static Refusal Cancelled { get; } = new(ReasonCodes.Cancelled,
        "The request was cancelled before the message was handed to the carrier, so nothing was sent. Send again if it is still wanted.");
    public static Refusal ConfirmationDeclined { get; } = new(ReasonCodes.ConfirmationDeclined,
        "The person at the client did not confirm this message, so nothing was sent. Do not resend it unless they ask you to.");
    public static Refusal ConfirmationUnavailable { get; } = new(ReasonCodes.ConfirmationUnavailable,
        "Your sends must be confirmed by the person at the client, and this client cannot ask them (it needs MCP 2026-07-28 with form elicitation), so nothing was sent. Use a client that can, or ask an operator.");
    public static Refusal ConfirmationInvalid { get; } = new(ReasonCodes.ConfirmationInvalid,
        "The confirmation did not match this caller and request, or was altered or incomplete, so nothing was sent. Call send_sms again without requestState to be asked afresh.");
    public static Refusal ConfirmationExpired { get; } = new(ReasonCodes.ConfirmationExpired,
        "The confirmation took too long and expired, so nothing was sent. Call send_sms again to be asked afresh.");
    public static Refusal ConfirmationReplayed { get; } = new(ReasonCodes.ConfirmationReplayed,
        "This confirmation was already used once, so nothing was sent. Call send_sms again to be asked afresh.");
    public static Refusal RecipientQuotaExceeded { get; } = new(ReasonCodes.RecipientQuotaExceeded,
        "This recipient has already received as many messages today as you may send them, so nothing was sent. Try again tomorrow (UTC) or ask an operator.");
    public static Refusal PrefixQuotaExceeded { get; } = new(ReasonCodes.PrefixQuotaExceeded,
        "Too many messages went today to numbers in the same range as this recipient (a defence against SMS pumping fraud), so nothing was sent. Do not retry today; ask an operator.");
    public static Refusal GlobalQuotaExceeded { get; } = new(ReasonCodes.GlobalQuotaExceeded,
        "The server has sent as many messages today as the operator allows for all callers together, so nothing was sent. Try again tomorrow (UTC) or ask an operator.");
    public static Refusal SpendCapExceeded { get; } = new(ReasonCodes.SpendCapExceeded,
        "This message would go over a spending cap, so nothing was sent. Caps restart each UTC day and month; get_usage shows what is left.");
    public static Refusal PriceUnknown { get; } = new(ReasonCodes.PriceUnknown,
        "A spending cap applies and the operator has set no price for this destination, so nothing was sent. Ask an operator to add its price.");
    public static Refusal ProviderFailed { get; } = new(ReasonCodes.ProviderFailed,
        "The SMS provider did not accept the message, so it was not sent. Try again later.");
    public static Refusal DestinationNotPermitted { get; } = new(ReasonCodes.DestinationNotPermitted,
        "The SMS provider does not permit messages to this destination, so nothing was sent. Do not retry; ask an operator.");
    public static Refusal PumpingProtection { get; } = new(ReasonCodes.PumpingProtection,
        "The SMS provider blocked this message as suspected SMS pumping fraud, so nothing was sent. Do not retry; ask an operator.");
    public static Refusal ProviderRateLimited { get; } = new(ReasonCodes.ProviderRateLimited,
        "The SMS provider is rate limiting this server, so nothing was sent. Try again in a minute.");
    public static Refusal ProviderCredentials { get; } = new(ReasonCodes.ProviderCredentials,
        "The SMS provider rejected this server's credentials, or the server could not read them from its key vault, so nothing was sent. Ask an operator.");

    /// <summary>The refusal for a provider failure's reason code; anything unrecognised is <see cref="ProviderFailed"/>.</summary>
    public static Refusal ForProviderFailure(string? reasonCode) => reasonCode switch
    {
        ReasonCodes.RecipientOptedOut => RecipientOptedOut,
        ReasonCodes.DestinationNotPermitted => DestinationNotPermitted,
        ReasonCodes.PumpingProtection => PumpingProtection,
        ReasonCodes.ProviderRateLimited => ProviderRateLimited,
        ReasonCodes.ProviderCredentials => ProviderCredentials,
        _ => ProviderFailed,
    };
}
