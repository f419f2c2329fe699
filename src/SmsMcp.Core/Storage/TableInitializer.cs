using Microsoft.Extensions.Hosting;
using SmsMcp.Core.Approvals;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Controls;
using SmsMcp.Core.Delivery;
using SmsMcp.Core.Idempotency;
using SmsMcp.Core.Lookup;
using SmsMcp.Core.Messages;
using SmsMcp.Core.Quotas;
using SmsMcp.Core.Suppression;
using SmsMcp.Core.Watchdog;
using SmsMcp.Core.Watchdog.Counters;

namespace SmsMcp.Core.Storage;

/// <summary>Creates the tables at start, so a store that cannot be reached stops the server before it takes traffic.</summary>
public sealed class TableInitializer(ITableStore store) : IHostedService
{
    private static readonly string[] Tables = [AuditLog.Table, MessageStore.Table, MessageIndex.Table, TrafficCounters.Table, IncidentStore.Table, WatchdogState.Table, IdempotencyStore.Table, QuotaLedger.Table, SuppressionList.Table, RuntimeControls.Table, ContactBook.Table, ApprovalStore.Table, LookupCache.Table];

    /// <summary>Creates the tables concurrently (one round trip of latency on Azure, not one per table); any failure fails start-up.</summary>
    public Task StartAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(Tables.Select(table => store.CreateTableIfNotExistsAsync(table, cancellationToken)));

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
