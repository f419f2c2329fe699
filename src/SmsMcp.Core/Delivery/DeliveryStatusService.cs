using Microsoft.Extensions.Logging;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Messages;
using SmsMcp.Core.Phone;
using SmsMcp.Core.Storage;
using SmsMcp.Core.Suppression;
using SmsMcp.Core.Vocabulary;
using SmsMcp.Core.Watchdog.Counters;

namespace SmsMcp.Core.Delivery;

/// <summary>
/// The status walk: applies what the carrier reports about one of our messages — from a signed status
/// callback or from reconciliation — to its record, the audit trail, the watchdog's counters and the suppression list.
/// </summary>
/// <remarks>
/// <para>The message is found through its id only (its record, in the day partition the id names, holds the caller; a
/// message sent before issue 16 through the old id → caller index), never through anything else the report says, and the
/// carrier's message id must match the record's. A record without one (an <c>unknown</c> outcome, or a callback that
/// overtook the send's own write) adopts it: the report's message id came from a signed URL we gave the carrier for this
/// message, so the carrier's id in it belongs to this message.</para>
/// <para>Statuses only move forward (<see cref="MessageStatusOrder"/>); the record is replaced only if it did not change
/// since it was read, so of two concurrent reports exactly one applies each transition, and only that one writes the
/// audit record and counts the outcome. Storage errors before the record is written propagate (the webhook answers 503
/// and the carrier retries); after it, the transition stands and a failed audit or counter write is logged.</para>
/// </remarks>
public sealed class DeliveryStatusService(
    MessageStore messages,
    AuditLog audit,
    TrafficCounters traffic,
    SuppressionList suppressions,
    Pseudonymizer pseudonymizer,
    TimeProvider time,
    ILogger<DeliveryStatusService> logger)
{
    /// <summary>The audit record's tool for a transition reported by a status callback.</summary>
    public const string CallbackTool = "status_callback";

    /// <summary>The audit record's tool for a transition found by reconciliation (a fetch by the carrier's id).</summary>
    public const string ReconcileTool = "status_reconcile";

    private const int MaxAttempts = 16;

    /// <summary>Applies <paramref name="report"/>; <paramref name="tool"/> names the source in the audit trail. Throws <see cref="StorageException"/> when nothing could be applied.</summary>
    public async Task<DeliveryUpdateOutcome> ApplyAsync(DeliveryReport report, string tool, CancellationToken cancellationToken)
    {
        if (!MessageStore.IsWellFormedId(report.MessageId))
        {
            return DeliveryUpdateOutcome.UnknownMessage;
        }

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (await messages.FindForStatusAsync(report.MessageId, cancellationToken) is not { } stored)
            {
                return DeliveryUpdateOutcome.UnknownMessage;
            }

            var current = stored.Record;
            if (!BelongsTo(current, report))
            {
                logger.LogWarning("Delivery report for message {MessageId} names another carrier message id; ignored.", report.MessageId);
                return DeliveryUpdateOutcome.Mismatch;
            }

            if (report.Status == MessageStatus.Unknown)
            {
                logger.LogWarning("Delivery report for message {MessageId} has a status we do not know; ignored.", report.MessageId);
                return DeliveryUpdateOutcome.Ignored;
            }

            if (!MessageStatusOrder.IsAdvance(current.Status, report.Status))
            {
                return DeliveryUpdateOutcome.Duplicate;
            }

            // Before the record changes: an opt-out must be on the list even if what follows fails (a retry finds the
            // status already applied and would not get here again). Adding is idempotent.
            if (report.RecipientOptedOut)
            {
                await SuppressAsync(current, report, cancellationToken);
            }

            var now = time.GetUtcNow();
            var updated = current with
            {
                Status = report.Status,
                ProviderMessageId = report.ProviderMessageId,
                ErrorCode = report.ErrorCode ?? current.ErrorCode,
                UpdatedAt = now,
            };
            // The record (Audit, its id's day) decides, with its pending marker deleted in the same transaction when the
            // status is final. The suppression (Suppressions, "optout") and counter (WatchdogTraffic, hour) are other
            // tables, and the transition's audit record goes to today's partition, the record's own only on the day it was
            // sent: those are ordered around it instead.
            try
            {
                if (MessageStatusOrder.IsFinal(updated.Status))
                {
                    await messages.ReplaceSettlingAsync(stored, updated, cancellationToken);
                }
                else
                {
                    await messages.ReplaceAsync(stored, updated, cancellationToken);
                }
            }
            catch (Exception e) when (e is PreconditionFailedException or EntityNotFoundException)
            {
                // Another report (or the send's own write) changed the record since it was read: decide again on what it wrote.
                continue;
            }

            await AfterTransitionAsync(current, updated, stored.Legacy, report, tool, now);
            return DeliveryUpdateOutcome.Applied;
        }

        throw new StorageUnavailableException("The message record stayed contended after repeated retries.");
    }

    /// <summary>The audit reason code for a transition to <paramref name="status"/>.</summary>
    public static string ReasonFor(MessageStatus status, string? errorReasonCode) => status switch
    {
        MessageStatus.Queued => ReasonCodes.StatusQueued,
        MessageStatus.Sent => ReasonCodes.StatusSent,
        MessageStatus.Delivered => ReasonCodes.StatusDelivered,
        MessageStatus.Undelivered => errorReasonCode ?? ReasonCodes.StatusUndelivered,
        MessageStatus.Failed => errorReasonCode ?? ReasonCodes.StatusFailed,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not a carrier status."),
    };

    private static bool BelongsTo(MessageRecord record, DeliveryReport report) =>
        record.ProviderMessageId is { } known
            ? string.Equals(known, report.ProviderMessageId, StringComparison.Ordinal)
            : record.Status is MessageStatus.Queued or MessageStatus.Unknown;

    private async Task SuppressAsync(MessageRecord record, DeliveryReport report, CancellationToken cancellationToken)
    {
        // The number comes from the report; it is trusted only when it is the number this message went to.
        if (PhoneNumberParser.TryParse(report.To, out var number, out _)
            && string.Equals(pseudonymizer.Recipient(number.E164), record.RecipientRef, StringComparison.Ordinal))
        {
            await suppressions.AddAsync(number, SuppressionSource.ProviderOptOut, cancellationToken);
            logger.LogInformation("Recipient of message {MessageId} ({RecipientRef}) opted out; added to the suppression list.", record.MessageId, record.RecipientRef);
        }
        else
        {
            logger.LogWarning("Opt-out reported for message {MessageId}, but the reported recipient is missing or not the message's; not suppressed.", record.MessageId);
        }
    }

    private async Task AfterTransitionAsync(MessageRecord before, MessageRecord after, bool legacy, DeliveryReport report, string tool, DateTimeOffset now)
    {
        // The transition is stored: what follows must run to the end even if the request that brought it goes away.
        var cancellationToken = CancellationToken.None;
        var failed = after.Status is MessageStatus.Undelivered or MessageStatus.Failed;
        var reason = ReasonFor(after.Status, report.ErrorReasonCode);
        var record = new AuditRecord
        {
            Id = AuditLog.NewId(now),
            Time = now,
            CallerId = after.CallerId,
            Tool = tool,
            RecipientRef = after.RecipientRef,
            BodyHash = "",
            BodyLength = 0,
            Segments = after.Segments,
            Stage = AuditStage.Completed,
            Decision = failed ? AuditDecision.Failed : AuditDecision.Accepted,
            ReasonCode = reason,
            MessageId = after.MessageId,
        };
        if (!MessageStatusOrder.IsFinal(after.Status))
        {
            await QuietlyAsync(() => audit.RecordAsync(record, cancellationToken), "audit record", after.MessageId);
        }
        else
        {
            // A final status is counted by the watchdog: its event goes in the audit record's transaction (both in the day
            // partition of now).
            var (auditError, eventError) = await traffic.WriteWithAuditAsync(AuditLog.PartitionFor(record),
                traffic.DeliveryEvent(after.CallerId, after.Status, report.ErrorCode, report.RecipientOptedOut, now),
                alongside => audit.RecordAsync(record, alongside, cancellationToken));
            LogFailure(auditError, "audit record", after.MessageId);
            LogFailure(eventError, "watchdog event", after.MessageId);
            if (legacy)
            {
                // The old layout's hourly pending row is another table; a marker beside the record went with the replace.
                await QuietlyAsync(() => messages.Index.RemovePendingAsync(new PendingMessage(after.MessageId, after.CallerId, after.CreatedAt, Legacy: true), cancellationToken), "pending index removal", after.MessageId);
            }
        }

        logger.LogInformation("Message {MessageId} of caller {CallerId}: {From} → {To} ({ReasonCode}, via {Tool}).",
            after.MessageId, after.CallerId, before.Status, after.Status, reason, tool);
    }

    private async Task QuietlyAsync(Func<Task> action, string what, string messageId)
    {
        try
        {
            await action();
        }
        catch (StorageException e)
        {
            LogFailure(e, what, messageId);
        }
    }

    private void LogFailure(StorageException? error, string what, string messageId)
    {
        if (error is not null)
        {
            logger.LogError(error, "The {What} for the status change of message {MessageId} failed; the message record holds the new status.", what, messageId);
        }
    }
}
