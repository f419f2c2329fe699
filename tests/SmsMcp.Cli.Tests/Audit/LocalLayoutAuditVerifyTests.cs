using Microsoft.Extensions.Time.Testing;
using SmsMcp.Cli.Output;
using SmsMcp.Cli.Tests.Infrastructure;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Hosting;
using SmsMcp.Infrastructure.Storage.AuditHeads;
using SmsMcp.Infrastructure.Storage.Sqlite;

namespace SmsMcp.Cli.Tests.Audit;

/// <summary>
/// The local server's data directory as it lays it out — smsmcp.db, pseudonymization.key, audit-heads/ — read with
/// nothing but <c>--sqlite</c>: the seal key and the head log are found beside the database.
/// </summary>
public sealed class LocalLayoutAuditVerifyTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "smsmcp-audit-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory must not fail a test that passed.
        }
    }

    [Fact]
    public async Task DataDirectoryLayout_TailDeletionNamed_WithOnlyTheDatabasePath()
    {
        Directory.CreateDirectory(_directory);
        var environment = SmsMcpEnvironment.Create(true, _directory);
        var key = PseudonymizationKeySource.Load(new AuditOptions(), environment);
        var sealer = AuditSealer.FromPseudonymizationKey(key);
        var database = Path.Combine(_directory, "smsmcp.db");
        var time = new FakeTimeProvider(new DateTimeOffset(2031, 5, 6, 9, 0, 0, TimeSpan.Zero));
        var ids = new List<string>();
        using (var store = new SqliteTableStore(new SqliteStorageOptions { Path = database }))
        {
            await store.CreateTableIfNotExistsAsync(AuditLog.Table, CancellationToken.None);
            var log = new AuditLog(store, sealer, time);
            for (var i = 0; i < 4; i++)
            {
                time.Advance(TimeSpan.FromSeconds(1));
                var record = new AuditRecord
                {
                    Id = AuditLog.NewId(time.GetUtcNow()), Time = time.GetUtcNow(), CallerId = "dev", Tool = "send_sms", BodyHash = new string('1', 64),
                    BodyLength = 5, Stage = AuditStage.Completed, Decision = AuditDecision.Denied, ReasonCode = "recipient_not_allowed",
                };
                ids.Add(record.Id);
                await log.RecordAsync(record, CancellationToken.None);
            }

            time.Advance(TimeSpan.FromMinutes(5));
            var heads = new FileAuditHeadLog(Path.Combine(_directory, AuditHeadLogOptions.DefaultDirectoryName));
            Assert.Single(await new AuditHeadPublisher(store, sealer, heads, time).PublishAsync(CancellationToken.None));
            await store.DeleteAsync(AuditLog.Table, "20310506", ids[3], "*", CancellationToken.None);
        }

        var result = await CliRun.RunAsync("audit", "verify", "--sqlite", database, "--from", "2031-05-06", "--to", "2031-05-06", "--json");

        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        var answer = JsonSchemas.AssertValid(result.Output, "audit-verify.schema.json")["result"]!;
        Assert.Equal((ids[3], "deleted"), ((string)answer["firstProblem"]!["recordId"]!, (string)answer["firstProblem"]!["kind"]!));
        Assert.StartsWith("sqlite:", (string)answer["store"]!, StringComparison.Ordinal);
        Assert.Equal(1, (int)answer["heads"]!["checked"]!);
        Assert.Equal(3, (int)answer["records"]!);
    }

    [Fact]
    public async Task MissingDatabase_IsUnavailable_AndNothingIsCreated()
    {
        var database = Path.Combine(_directory, "nothing-here.db");

        var result = await CliRun.RunAsync("audit", "verify", "--sqlite", database, "--json");

        Assert.Equal(ExitCodes.Unavailable, result.ExitCode);
        Assert.Equal("store_missing", (string)JsonSchemas.AssertValid(result.Output)["error"]!["code"]!);
        Assert.False(File.Exists(database));
    }

    [Fact]
    public async Task NoSealKeyAnywhere_IsAUsageErrorNamingTheSettings()
    {
        Directory.CreateDirectory(_directory);
        var database = Path.Combine(_directory, "smsmcp.db");
        using (var store = new SqliteTableStore(new SqliteStorageOptions { Path = database }))
        {
            await store.CreateTableIfNotExistsAsync(AuditLog.Table, CancellationToken.None);
        }

        var result = await CliRun.RunAsync("audit", "verify", "--sqlite", database);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("Audit__SealKey", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--table-endpoint", "http://account.table.core.windows.net")]
    [InlineData("--heads-container", "not a url")]
    public async Task EndpointThatIsNotHttps_IsAUsageError(string option, string value)
    {
        var result = await CliRun.RunAsync("audit", "verify", option, value);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains($"{option} must be an absolute https URL", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpsHeadContainer_ParsesAndTheMissingStoreIsReported()
    {
        var result = await CliRun.RunAsync("audit", "verify", "--sqlite", Path.Combine(_directory, "none.db"),
            "--heads-container", "https://account.blob.core.windows.net/audit-heads", "--json");

        Assert.Equal(ExitCodes.Unavailable, result.ExitCode);
        Assert.Equal("store_missing", (string)JsonSchemas.AssertValid(result.Output)["error"]!["code"]!);
    }
}
