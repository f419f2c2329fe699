using System.Security.Cryptography;
using System.Text;
using SmsMcp.Core.Storage;
using SmsMcp.Infrastructure.Storage.Sqlite;

namespace SmsMcp.Core.Tests.Storage.Sqlite;

/// <summary>
/// The child process of the kill -9 test: eight writers insert self-checking entities (and three-entity transactions)
/// into one SQLite store as fast as group commit lets them, and print one "ack" line per write only after the store
/// answered it, until the parent kills the process.
/// </summary>
internal static class CrashWriter
{
    public const string Mode = "sqlite-crash-writer";
    public const string Table = "Crash";
    public const int Writers = 8;
    public const int TransactionSize = 3;

    private static readonly Lock Output = new();

    public static string SinglePartition(int writer) => $"w{writer}";

    public static string TransactionPartition(int writer) => $"tx{writer}";

    public static string TransactionRow(long sequence, int part) => $"{sequence:D8}-{part}";

    /// <summary>True when the entity's payload matches the checksum written with it.</summary>
    public static bool IsWhole(TableEntity entity) =>
        entity.Get<string>("Payload") is { } payload && entity.Get<string>("Check") == Checksum(payload);

    public static async Task<int> RunAsync(string path)
    {
        using var store = new SqliteTableStore(new SqliteStorageOptions { Path = path, BusyTimeout = TimeSpan.FromMinutes(1) });
        await store.CreateTableIfNotExistsAsync(Table, CancellationToken.None);
        Say("ready");
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(() => WriteForeverAsync(store, writer))));
        return 0;
    }

    private static async Task WriteForeverAsync(SqliteTableStore store, int writer)
    {
        var random = new Random(writer);
        for (long sequence = 0; ; sequence++)
        {
            try
            {
                if (sequence % 3 == 2)
                {
                    var partition = TransactionPartition(writer);
                    var writes = Enumerable.Range(0, TransactionSize)
                        .Select(part => TableWrite.Insert(Entity(partition, TransactionRow(sequence, part), random)))
                        .ToArray();
                    await store.SubmitTransactionAsync(Table, writes, CancellationToken.None);
                    Say($"ack-tx {partition} {sequence:D8}");
                }
                else
                {
                    var row = sequence.ToString("D8", System.Globalization.CultureInfo.InvariantCulture);
                    await store.InsertAsync(Table, Entity(SinglePartition(writer), row, random), CancellationToken.None);
                    Say($"ack {SinglePartition(writer)} {row}");
                }
            }
            catch (StorageUnavailableException)
            {
                Say("unavailable");
            }
        }
    }

    private static TableEntity Entity(string partition, string row, Random random)
    {
        var payload = new string('x', random.Next(16, 2048)) + Guid.NewGuid().ToString("N");
        return new TableEntity(partition, row, new Dictionary<string, object> { ["Payload"] = payload, ["Check"] = Checksum(payload) });
    }

    private static string Checksum(string payload) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(payload)));

    private static void Say(string line)
    {
        lock (Output)
        {
            Console.Out.WriteLine(line);
            Console.Out.Flush();
        }
    }
}
