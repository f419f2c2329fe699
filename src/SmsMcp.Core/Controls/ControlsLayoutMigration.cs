using Microsoft.Extensions.Hosting;
using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Controls;

/// <summary>
/// At start, before traffic: moves runtime controls a previous version stored in its one-partition-per-control layout
/// into the layout sends read (<see cref="RuntimeControls.MigrateLegacyLayoutAsync"/>). A store that cannot answer fails
/// start-up, like the table initializer: an engaged kill switch must never be left behind in a layout no send reads.
/// </summary>
internal sealed class ControlsLayoutMigration(RuntimeControls controls, ITableStore store) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.CreateTableIfNotExistsAsync(RuntimeControls.Table, cancellationToken);
        await controls.MigrateLegacyLayoutAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
