using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Storage;
using SmsMcp.Infrastructure.Storage.AuditHeads;
using SmsMcp.Infrastructure.Storage.AzureTables;
using SmsMcp.Infrastructure.Storage.Sqlite;

namespace SmsMcp.Cli.Tests.Audit;

/// <summary>
/// Where a test writes its trail and heads, and how it tampers with them directly (not through the app): the store, the
/// head log, a settings file that points <c>smsmcp audit</c> at both, and raw access to the head log's lines.
/// </summary>
public abstract class AuditTrailBackend : IAsyncDisposable
{
    public static readonly byte[] SealKey = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    protected AuditTrailBackend(string directory)
    {
        Directory = directory;
        System.IO.Directory.CreateDirectory(directory);
    }

    public string Directory { get; }

    public abstract ITableStore Store { get; }

    public abstract IAuditHeadLog Heads { get; }

    /// <summary>A settings file in the server's form: Storage, AuditHeads and Audit:SealKey.</summary>
    public string SettingsFile { get; private set; } = "";

    protected void WriteSettings(JsonObject storage, JsonObject heads)
    {
        SettingsFile = Path.Combine(Directory, "settings.json");
        File.WriteAllText(SettingsFile, new JsonObject
        {
            ["Storage"] = storage,
            ["AuditHeads"] = heads,
            ["Audit"] = new JsonObject { ["SealKey"] = Convert.ToBase64String(SealKey) },
        }.ToJsonString());
    }

    /// <summary>Replaces the head log's page of <paramref name="day"/> — what WORM storage refuses in Azure.</summary>
    public abstract Task RewriteHeadPageAsync(DateOnly day, IReadOnlyList<string> lines);

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory must not fail a test that passed.
        }

        return ValueTask.CompletedTask;
    }

    protected static string TempDirectory() => Path.Combine(Path.GetTempPath(), "smsmcp-audit-" + Guid.NewGuid().ToString("N"));

    protected static string PageName(DateOnly day) => day.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture) + ".jsonl";
}

/// <summary>The local deployment: the SQLite file and the append-only head log folder beside it.</summary>
public sealed class SqliteAuditTrailBackend : AuditTrailBackend
{
    private readonly SqliteTableStore _store;

    public SqliteAuditTrailBackend()
        : base(TempDirectory())
    {
        var database = Path.Combine(Directory, "smsmcp.db");
        _store = new SqliteTableStore(new SqliteStorageOptions { Path = database });
        HeadDirectory = Path.Combine(Directory, AuditHeadLogOptions.DefaultDirectoryName);
        Heads = new FileAuditHeadLog(HeadDirectory);
        WriteSettings(
            new JsonObject { ["Provider"] = "Sqlite", ["SqlitePath"] = database },
            new JsonObject { ["Directory"] = HeadDirectory });
    }

    public string HeadDirectory { get; }

    public override ITableStore Store => _store;

    public override IAuditHeadLog Heads { get; }

    public override Task RewriteHeadPageAsync(DateOnly day, IReadOnlyList<string> lines) =>
        File.WriteAllLinesAsync(Path.Combine(HeadDirectory, PageName(day)), lines);

    public override ValueTask DisposeAsync()
    {
        _store.Dispose();
        return base.DisposeAsync();
    }
}

/// <summary>The Azure deployment on a real Azurite: Table Storage for the trail, an append blob container for the heads.</summary>
public sealed class AzuriteAuditTrailBackend : AuditTrailBackend
{
    private readonly BlobContainerClient _container;

    public AzuriteAuditTrailBackend(AzuriteEmulator azurite)
        : base(TempDirectory())
    {
        // One container per test: the heads are this test's alone. The table is shared; each test writes a day of its own.
        var container = "heads-" + Guid.NewGuid().ToString("N")[..12];
        Store = new AzureTableStore(new AzureTableStoreOptions { ConnectionString = azurite.ConnectionString });
        _container = new BlobContainerClient(azurite.ConnectionString, container);
        Heads = new AppendBlobAuditHeadLog(_container);
        WriteSettings(
            new JsonObject { ["Provider"] = "AzureTables", ["ConnectionString"] = azurite.ConnectionString },
            new JsonObject { ["ConnectionString"] = azurite.ConnectionString, ["ContainerName"] = container });
    }

    public override ITableStore Store { get; }

    public override IAuditHeadLog Heads { get; }

    public override async Task RewriteHeadPageAsync(DateOnly day, IReadOnlyList<string> lines)
    {
        var blob = _container.GetAppendBlobClient(PageName(day));
        await blob.DeleteIfExistsAsync();
        await blob.CreateAsync();
        foreach (var line in lines)
        {
            using var content = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(line + "\n"));
            await blob.AppendBlockAsync(content);
        }
    }
}
