namespace SmsMcp.Core.Messages;

/// <summary>An entry of the index of messages handed to a carrier and not yet in a final state.</summary>
public sealed record PendingMessage(string MessageId, string CallerId, DateTimeOffset QueuedAt);
