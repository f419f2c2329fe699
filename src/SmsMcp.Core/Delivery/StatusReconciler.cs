using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SmsMcp.Core.Messages;
using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Delivery;

/// <summary>
/// The timer job behind <c>reconcile-status</c>: messages still without a final status
/// <see cref="ReconciliationOptions.MinimumAge"/> after they were queued (a lost callback, or no callback URL configured)
/// are fetched from the carrier by its id and the answer is applied through <see cref="DeliveryStatusService"/>, exactly
/// as a callback would be. It reads only the pending markers (<see cref="MessageIndex"/>: a row-key range of each day
/// partition in its window, and the old layout's hourly partitions), never scans message records, and
/// takes final or vanished messages off that index. Without a carrier that can be asked (<see cref="IMessageStatusFetcher"/>,
/// e.g. the sandbox) it only tidies the index.
/// </summary>
/// <remarks>
/// An <c>unknown</c> outcome without a carrier id cannot be fetched (Twilio's create never answered, so we do not know the
/// id); a status callback settles it, since its signed URL carries our message id. Those are counted, not fetched.
/// </remarks>
public sealed class StatusReconciler(
    MessageStore messages,
    DeliveryStatusService delivery,
    IOptions<ReconciliationOptions> options,
    TimeProvider time,
    ILogger<StatusReconciler> logger,
    IMessageStatusFetcher? fetcher = null)
{
    public async Task<ReconciliationSummary> RunAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var oldest = now - o.Lookback;
        var youngest = now - o.MinimumAge;
        int examined = 0, fetched = 0, applied = 0, settled = 0, withoutId = 0, errors = 0;
        await foreach (var entry in messages.Index.PendingAsync(oldest, youngest, cancellationToken))
        {
            examined++;
            if (entry.QueuedAt > youngest || entry.QueuedAt < oldest)
            {
                continue;
            }

            try
            {
                var record = await messages.GetAsync(entry.CallerId, entry.MessageId, cancellationToken);
                if (record is null || MessageStatusOrder.IsFinal(record.Status))
                {
                    // One delete each, not a transaction per partition: these are leftovers of a status walk whose own
                    // removal failed (rare), each decided on its own record's read; idempotent, so a failed one is retried next run.
                    await messages.Index.RemovePendingAsync(entry, cancellationToken);
                    settled++;
                    continue;
                }

                if (record.ProviderMessageId is not { } providerId)
                {
                    withoutId++;
                    continue;
                }

                if (fetcher is null || fetched >= o.MaxFetchesPerRun)
                {
                    continue;
                }

                fetched++;
                if (await fetcher.FetchAsync(record.MessageId, providerId, cancellationToken) is not { } report)
                {
                    errors++;
                    continue;
                }

                if (await delivery.ApplyAsync(report, DeliveryStatusService.ReconcileTool, cancellationToken) == DeliveryUpdateOutcome.Applied)
                {
                    applied++;
                }
            }
            catch (StorageException e)
            {
                errors++;
                logger.LogError(e, "Reconciliation of message {MessageId} failed; it is tried again on the next run.", entry.MessageId);
            }
        }

        var summary = new ReconciliationSummary(examined, fetched, applied, settled, withoutId, errors);
        logger.LogInformation("Reconciliation: {Examined} pending, {Fetched} fetched, {Applied} updated, {Settled} settled, {WithoutCarrierId} without a carrier id, {Errors} errors.",
            summary.Examined, summary.Fetched, summary.Applied, summary.Settled, summary.WithoutCarrierId, summary.Errors);
        return summary;
    }
}
