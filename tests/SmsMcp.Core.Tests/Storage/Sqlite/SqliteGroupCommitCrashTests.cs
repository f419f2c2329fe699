using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using SmsMcp.Core.Storage;
using SmsMcp.Infrastructure.Storage.Sqlite;

namespace SmsMcp.Core.Tests.Storage.Sqlite;

/// <summary>
/// A process killed (SIGKILL) while its writers commit in groups leaves a file that holds every write it acknowledged,
/// each entity whole, each transaction entirely or not at all.
/// </summary>
public sealed class SqliteGroupCommitCrashTests : IDisposable
{
    private const int AcknowledgementsBeforeKill = 300;

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task ProcessKilledWhileWritersCommitInGroups_LeavesOnlyWholeAcknowledgedWrites()
    {
        var path = _directory.File("crash.db");
        var lines = new ConcurrentQueue<string>();
        var acknowledged = 0;
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var child = StartChild(path);
        child.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lines.Enqueue(e.Data);
            if (e.Data.StartsWith("ack", StringComparison.Ordinal) && Interlocked.Increment(ref acknowledged) >= AcknowledgementsBeforeKill)
            {
                enough.TrySetResult();
            }
        };
        child.ErrorDataReceived += (_, _) => { };
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
        try
        {
            await enough.Task.WaitAsync(Patience);
        }
        finally
        {
            child.Kill(); // SIGKILL: no finally block, flush or dispose runs in the child.
            await child.WaitForExitAsync();
        }

        var acks = lines.Where(l => l.StartsWith("ack", StringComparison.Ordinal)).Select(l => l.Split(' ')).ToList();
        Assert.True(acks.Count >= AcknowledgementsBeforeKill);
        Assert.Equal("ok", await IntegrityCheckAsync(path));

        using var store = new SqliteTableStore(new SqliteStorageOptions { Path = path });
        foreach (var ack in acks)
        {
            var rows = ack[0] == "ack-tx"
                ? Enumerable.Range(0, CrashWriter.TransactionSize).Select(part => CrashWriter.TransactionRow(long.Parse(ack[2], System.Globalization.CultureInfo.InvariantCulture), part))
                : [ack[2]];
            foreach (var row in rows)
            {
                var entity = await store.GetAsync(CrashWriter.Table, ack[1], row, CancellationToken.None);
                Assert.True(entity is not null, $"Acknowledged write {ack[1]}/{row} is missing after the crash.");
            }
        }

        var stored = 0;
        for (var writer = 0; writer < CrashWriter.Writers; writer++)
        {
            foreach (var entity in await AllAsync(store, CrashWriter.SinglePartition(writer)))
            {
                Assert.True(CrashWriter.IsWhole(entity), $"{entity.PartitionKey}/{entity.RowKey} is torn.");
                stored++;
            }

            var transactions = (await AllAsync(store, CrashWriter.TransactionPartition(writer))).GroupBy(e => e.RowKey[..8]).ToList();
            foreach (var transaction in transactions)
            {
                Assert.Equal(CrashWriter.TransactionSize, transaction.Count());
                Assert.All(transaction, e => Assert.True(CrashWriter.IsWhole(e), $"{e.PartitionKey}/{e.RowKey} is torn."));
                stored += CrashWriter.TransactionSize;
            }
        }

        // Writes committed but not yet acknowledged when the kill came may be there too; nothing acknowledged is lost.
        Assert.True(stored >= acks.Sum(a => a[0] == "ack-tx" ? CrashWriter.TransactionSize : 1));
    }

    private static Process StartChild(string path)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(typeof(CrashWriter).Assembly.Location);
        info.ArgumentList.Add(CrashWriter.Mode);
        info.ArgumentList.Add(path);
        return Process.Start(info)!;
    }

    private static async Task<List<TableEntity>> AllAsync(SqliteTableStore store, string partition) =>
        await store.QueryAllAsync(CrashWriter.Table, partition, null, null, 1000, CancellationToken.None).ToListAsync();

    private static async Task<string?> IntegrityCheckAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return (string?)await command.ExecuteScalarAsync();
    }
}
