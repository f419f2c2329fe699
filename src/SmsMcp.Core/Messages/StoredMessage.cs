namespace SmsMcp.Core.Messages;

/// <summary>A message record with the ETag it was read at, for a replace-if-match update.</summary>
public sealed record StoredMessage(MessageRecord Record, string ETag);
