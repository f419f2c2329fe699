namespace SmsMcp.Core.Messages;

/// <summary>
/// An entry of the index of messages handed to a carrier and not yet in a final state. <see cref="Legacy"/>: an hourly
/// pending row of the layout before issue 16 (table <c>MessageIndex</c>) rather than a marker beside the record.
/// </summary>
public sealed record PendingMessage(string MessageId, string CallerId, DateTimeOffset QueuedAt, bool Legacy = false);
