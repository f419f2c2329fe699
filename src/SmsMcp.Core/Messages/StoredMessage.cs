namespace SmsMcp.Core.Messages;

/// <summary>
/// A message record with the ETag it was read at, for a replace-if-match update. <see cref="Legacy"/>: read from the
/// layout before issue 16 (table <c>Messages</c>, partition = caller), where its update goes too.
/// </summary>
public sealed record StoredMessage(MessageRecord Record, string ETag, bool Legacy = false);
