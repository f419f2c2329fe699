using SmsMcp.Core.Messages;

namespace SmsMcp.Core.Approvals;

/// <summary>First-contact approval requests (configuration section <c>Approvals</c>).</summary>
public sealed class ApprovalOptions
{
    public const string SectionName = "Approvals";

    /// <summary>
    /// The longest <see cref="Lifetime"/> allowed. Readers that look back over held requests (the reconciler's pending
    /// markers, the watchdog's pending approvals) reach this far: it is <see cref="MessageIndex.LongestHold"/>, so one
    /// change there moves the bound and every reader together.
    /// </summary>
    public static readonly TimeSpan MaximumLifetime = MessageIndex.LongestHold;

    /// <summary>
    /// How long a request waits for an operator; after that it can no longer be approved. It does not bound how long the
    /// text stays stored: that is erased when an operator resolves the request, and nothing sweeps unresolved rows.
    /// Default 24 h; range 1 minute to 7 days.
    /// </summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(24);
}
