using Microsoft.Extensions.Hosting;

namespace SmsMcp.Core.Storage;

/// <summary>
/// Creates the declared tables (<see cref="TableDeclaration"/>) at start, so a store that cannot be reached stops the
/// server before it takes traffic.
/// </summary>
public sealed class TableInitializer(IEnumerable<TableDeclaration> tables, ITableStore store) : IHostedService
{
    /// <summary>Creates the tables concurrently (one round trip of latency on Azure, not one per table); any failure fails start-up.</summary>
    public Task StartAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(tables.Select(t => t.Name).Distinct(StringComparer.Ordinal)
            .Select(table => store.CreateTableIfNotExistsAsync(table, cancellationToken)));

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
