namespace SmsMcp.Core.Sending;

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
    public static Refusal ProviderFailed { get; } = new(ReasonCodes.ProviderFailed,
        "The SMS provider did not accept the message, so it was not sent. Try again later.");
}
