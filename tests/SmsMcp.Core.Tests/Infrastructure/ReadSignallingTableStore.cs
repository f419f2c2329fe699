using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Tests.Infrastructure;

/// <summary>Wraps a real store and completes <see cref="FirstRead"/> once a read has returned: a test's way to know a caller has looked.</summary>
public sealed class ReadSignallingTableStore(ITableStore inner) : DelegatingTableStore(inner)
{
    private readonly TaskCompletionSource _firstRead = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task FirstRead => _firstRead.Task;

    public override async Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        var entity = await Inner.GetAsync(table, partitionKey, rowKey, cancellationToken);
        _firstRead.TrySetResult();
        return entity;
    }
}
