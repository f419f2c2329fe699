namespace SmsMcp.Core.Messages;

/// <summary>
/// The order a sent message's status may move in: unknown → queued → sent → delivered | undelivered | failed. A status
/// never moves backwards and a final one never changes, so callbacks that arrive late, twice or out of order change
/// nothing.
/// </summary>
public static class MessageStatusOrder
{
    /// <summary>True for the states a carrier never changes again.</summary>
    public static bool IsFinal(MessageStatus status) =>
        status is MessageStatus.Delivered or MessageStatus.Undelivered or MessageStatus.Failed
            or MessageStatus.Denied or MessageStatus.Expired;

    /// <summary>True when a message in <paramref name="current"/> may move to <paramref name="next"/>.</summary>
    public static bool IsAdvance(MessageStatus current, MessageStatus next) =>
        !IsFinal(current) && Rank(current) is { } from && Rank(next) is { } to && to > from;

    /// <summary>Null for the states no carrier report applies to (waiting for or refused approval).</summary>
    private static int? Rank(MessageStatus status) => status switch
    {
        MessageStatus.Unknown => 1,
        MessageStatus.Queued => 2,
        MessageStatus.Sent => 3,
        MessageStatus.Delivered or MessageStatus.Undelivered or MessageStatus.Failed => 4,

        // Nothing was handed to a carrier in these: no report can move them.
        _ => null,
    };
}
