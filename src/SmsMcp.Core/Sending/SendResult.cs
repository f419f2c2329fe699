using SmsMcp.Core.Content;
using SmsMcp.Core.Messages;

namespace SmsMcp.Core.Sending;

/// <summary>An accepted send. <see cref="Replayed"/> is true when an idempotency key returned an earlier result.</summary>
public sealed record SendResult(string MessageId, MessageStatus Status, int Segments, SmsEncoding Encoding, string RecipientMasked, bool Replayed = false);
