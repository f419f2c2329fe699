namespace SmsMcp.Core.Vocabulary;

/// <summary>Hard input limits that hold whatever the policy says.</summary>
public static class SendLimits
{
    /// <summary>Twilio's own maximum body length (10 concatenated segments).</summary>
    public const int MaxBodyLength = 1600;

    public const int MaxIdempotencyKeyLength = 128;

    /// <summary>How long an idempotency key keeps answering with its first result.</summary>
    public static readonly TimeSpan IdempotencyWindow = TimeSpan.FromHours(24);
}
