using SmsMcp.Core.Content;
using SmsMcp.Core.Messages;

namespace SmsMcp.Core.Outcomes;

/// <summary>
/// An accepted send. <see cref="Replayed"/> is true when an idempotency key returned an earlier result;
/// <see cref="DryRun"/> is true when dry-run mode was on: the send was evaluated and audited, nothing went out, no
/// message record exists and <see cref="Status"/> means nothing.
/// </summary>
public sealed record SendResult(string MessageId, MessageStatus Status, int Segments, SmsEncoding Encoding, string RecipientMasked, bool Replayed = false, bool DryRun = false);
