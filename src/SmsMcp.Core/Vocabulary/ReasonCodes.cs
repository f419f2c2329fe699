namespace SmsMcp.Core.Vocabulary;

/// <summary>
/// Stable reason codes returned to callers and written to the audit trail. Never rename one: operators
/// alert on them and models are told to act on them.
/// </summary>
public static class ReasonCodes
{
    public const string Accepted = "accepted";

    /// <summary>
    /// Not a refusal: first contact under an approval profile; nothing sent, an operator must approve the request
    /// (send_sms answers status <c>pending_approval</c>).
    /// </summary>
    public const string PendingApproval = "pending_approval";

    /// <summary>Audit only: dry-run mode was on; the send passed every check and nothing was sent.</summary>
    public const string DryRun = "dry_run";

    /// <summary>Audit only: a repeat of an idempotency key answered with the first result; nothing new was sent.</summary>
    public const string IdempotentReplay = "idempotent_replay";
    public const string InvalidNumber = "invalid_number";
    public const string InvalidRecipient = "invalid_recipient";
    public const string RecipientNotAllowed = "recipient_not_allowed";
    public const string EmptyBody = "empty_body";

    // Policy decisions (src/SmsMcp.Core/Policy). The sentences in Refusal never reveal the policy's contents.
    public const string CallerNotPermitted = "caller_not_permitted";
    public const string NumberClassBlocked = "number_class_blocked";
    public const string CountryNotAllowed = "country_not_allowed";
    public const string TooManySegments = "too_many_segments";
    public const string BidiControl = "bidi_control";
    public const string InvisibleCharacters = "invisible_characters";
    public const string UrlNotAllowed = "url_not_allowed";
    public const string UrlShortener = "url_shortener";
    public const string UrlLookalikeHost = "url_lookalike_host";
    public const string UrlIpLiteral = "url_ip_literal";
    public const string UrlUserinfo = "url_userinfo";
    public const string ContentNotAllowed = "content_not_allowed";
    public const string ContentCheckFailed = "content_check_failed";

    /// <summary>The operator's kill switch (global or for this caller) is engaged. Checked before everything else.</summary>
    public const string SendingDisabled = "sending_disabled";

    /// <summary>
    /// The recipient opted out: on the suppression list (checked after the policy), or reported by the carrier
    /// (Twilio error 21610, e.g. replied STOP). Nothing was sent.
    /// </summary>
    public const string RecipientOptedOut = "recipient_opted_out";

    // Carrier lookup of a first contact (src/SmsMcp.Core/Lookup), under a profile with lookup mode "firstContact".

    /// <summary>The lookup says the number is a line type the profile blocks (premium, toll-free, pager ...); nothing was sent.</summary>
    public const string LineTypeBlocked = "line_type_blocked";

    /// <summary>The lookup's SMS pumping risk score for the number is above the profile's maximum; nothing was sent.</summary>
    public const string SmsPumpingRisk = "sms_pumping_risk";

    /// <summary>The lookup could not answer (timeout, 5xx, credentials, network) and the profile refuses then; nothing was sent.</summary>
    public const string LookupUnavailable = "lookup_unavailable";

    /// <summary>First contact: the caller's daily budget of billed lookups (profile <c>lookup.maxPerDay</c>) is used up; nothing was sent.</summary>
    public const string LookupBudgetExceeded = "lookup_budget_exceeded";
    public const string BodyTooLong = "body_too_long";
    public const string InvalidIdempotencyKey = "invalid_idempotency_key";
    public const string IdempotencyKeyReused = "idempotency_key_reused";
    public const string IdempotencyInProgress = "idempotency_in_progress";
    public const string StorageUnavailable = "storage_unavailable";

    /// <summary>The caller cancelled the request before it reached the provider; nothing was sent, nothing stays counted or claimed.</summary>
    public const string Cancelled = "cancelled";

    // Client confirmation (profile "confirm": "client", src/SmsMcp.Core/Confirmation). Nothing was sent for any of them.

    /// <summary>
    /// Not a refusal: the audit record of a call answered with the confirmation question (input required). Nothing was
    /// sent; the retried call that carries the answer leaves its own record.
    /// </summary>
    public const string ConfirmationRequested = "confirmation_requested";

    /// <summary>The person at the client declined or dismissed the confirmation.</summary>
    public const string ConfirmationDeclined = "confirmation_declined";

    /// <summary>The client cannot ask its user (an older protocol revision or no form elicitation) and the profile does not fall back to approval.</summary>
    public const string ConfirmationUnavailable = "confirmation_unavailable";

    /// <summary>The confirmation's request state was altered, made for another caller or another request, or came without its answer.</summary>
    public const string ConfirmationInvalid = "confirmation_invalid";

    /// <summary>The confirmation's request state outlived its short lifetime.</summary>
    public const string ConfirmationExpired = "confirmation_expired";

    /// <summary>The confirmation's request state was already used once.</summary>
    public const string ConfirmationReplayed = "confirmation_replayed";

    // Quotas and spend caps (src/SmsMcp.Core/Quotas). Reserved before the provider call, across all instances.

    /// <summary>The caller's own quota (messages per minute, hour, day or month, or segments per day or month) is used up.</summary>
    public const string QuotaExceeded = "quota_exceeded";

    /// <summary>The profile's messages per day to this one number are used up.</summary>
    public const string RecipientQuotaExceeded = "recipient_quota_exceeded";

    /// <summary>The profile's messages per day to this number range (all but the last four digits) are used up: SMS pumping defence.</summary>
    public const string PrefixQuotaExceeded = "prefix_quota_exceeded";

    /// <summary>The messages per day of all callers together are used up.</summary>
    public const string GlobalQuotaExceeded = "global_quota_exceeded";

    /// <summary>The send would exceed a spend cap (the caller's or the global one, per day or month).</summary>
    public const string SpendCapExceeded = "spend_cap_exceeded";

    /// <summary>A spend cap applies and the policy has no price for the destination, so its cost cannot be counted.</summary>
    public const string PriceUnknown = "price_unknown";
    public const string ProviderFailed = "provider_failed";

    /// <summary>The carrier does not permit this destination (Twilio 21408 geo permissions, 21612 unreachable route); nothing was sent.</summary>
    public const string DestinationNotPermitted = "destination_not_permitted";

    /// <summary>The carrier's SMS pumping protection blocked the message (Twilio 30450, 30453); nothing was sent.</summary>
    public const string PumpingProtection = "pumping_protection";

    /// <summary>The carrier kept answering "too many requests" (HTTP 429, Twilio 20429) after bounded retries; nothing was sent.</summary>
    public const string ProviderRateLimited = "provider_rate_limited";

    /// <summary>The carrier rejected our credentials (HTTP 401, Twilio 20003), or Key Vault could not provide them; nothing was sent.</summary>
    public const string ProviderCredentials = "provider_credentials";

    /// <summary>
    /// Audit only: the request may have reached the carrier (timeout, 5xx, connection reset) and was deliberately
    /// not repeated; the message is recorded as <c>unknown</c> until a status callback or a fetch reconciles it.
    /// </summary>
    public const string ProviderOutcomeUnknown = "provider_outcome_unknown";

    // Audit only: the carrier reported a status change of a sent message (status callback or reconciliation), one
    // record per applied transition. An undelivered or failed message with a carrier error we know is recorded under
    // that error's code instead (e.g. recipient_opted_out for Twilio 21610).
    public const string StatusQueued = "queued";
    public const string StatusSent = "sent";
    public const string StatusDelivered = "delivered";
    public const string StatusUndelivered = "undelivered";
    public const string StatusFailed = "failed";
}
