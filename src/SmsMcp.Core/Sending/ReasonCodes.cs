namespace SmsMcp.Core.Sending;

/// <summary>
/// Stable reason codes returned to callers and written to the audit trail. Never rename one: operators
/// alert on them and models are told to act on them.
/// </summary>
public static class ReasonCodes
{
    public const string Accepted = "accepted";

    /// <summary>Audit only: a repeat of an idempotency key answered with the first result; nothing new was sent.</summary>
    public const string IdempotentReplay = "idempotent_replay";
    public const string InvalidNumber = "invalid_number";
    public const string InvalidRecipient = "invalid_recipient";
    public const string RecipientNotAllowed = "recipient_not_allowed";
    public const string EmptyBody = "empty_body";
    public const string BodyTooLong = "body_too_long";
    public const string InvalidIdempotencyKey = "invalid_idempotency_key";
    public const string IdempotencyKeyReused = "idempotency_key_reused";
    public const string IdempotencyInProgress = "idempotency_in_progress";
    public const string StorageUnavailable = "storage_unavailable";
    public const string ProviderFailed = "provider_failed";
}
