using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using SmsMcp.Cli.Output;
using SmsMcp.Cli.Tests.Infrastructure;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Storage;

namespace SmsMcp.Cli.Tests.Audit;

/// <summary>
/// <c>smsmcp audit verify</c> and <c>export</c> against a trail written by the real <see cref="AuditLog"/> and heads
/// published by the real <see cref="AuditHeadPublisher"/>, then tampered with directly in storage — as someone with
/// write access to the table, the database file or the head log would, not through the app. A backend's class supplies
/// the storage (SQLite with the local head log; Azurite with Table Storage and an append blob).
/// </summary>
public abstract class AuditCommandTests : IAsyncLifetime
{
    private FakeTimeProvider _time = null!;

    private AuditTrailBackend Backend { get; set; } = null!;

    private static CancellationToken Ct => CancellationToken.None;

    private AuditSealer Sealer { get; } = new(AuditTrailBackend.SealKey);

    private AuditLog Log { get; set; } = null!;

    private DateOnly Day => DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);

    private string DayText => Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private string Partition => Day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    protected abstract AuditTrailBackend CreateBackend();

    async Task IAsyncLifetime.InitializeAsync()
    {
        Backend = CreateBackend();
        await Backend.Store.CreateTableIfNotExistsAsync(AuditLog.Table, Ct);

        // A random day in 2000–2099 at 08:00 UTC: the partition is this test's alone on a shared table.
        _time = new FakeTimeProvider(new DateTimeOffset(2000, 1, 1, 8, 0, 0, TimeSpan.Zero).AddDays(Random.Shared.Next(36_000)));
        Log = new AuditLog(Backend.Store, Sealer, _time);
    }

    async Task IAsyncLifetime.DisposeAsync() => await Backend.DisposeAsync();

    private AuditHeadPublisher Publisher => new(Backend.Store, Sealer, Backend.Heads, _time);

    /// <summary><paramref name="count"/> records of one writer: accepted and denied sends, one still pending at the end.</summary>
    private async Task<List<string>> WriteAsync(int count, AuditLog? log = null)
    {
        log ??= Log;
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            var now = _time.GetUtcNow();
            var record = new AuditRecord
            {
                Id = AuditLog.NewId(now),
                Time = now,
                CallerId = "dev",
                Tool = "send_sms",
                RecipientRef = "r_" + new string((char)('a' + (i % 26)), 32),
                BodyHash = new string('0', 60) + i.ToString("D4", CultureInfo.InvariantCulture),
                BodyLength = 10 + i,
                Segments = 1,
                Stage = AuditStage.Attempt,
                Decision = AuditDecision.Pending,
                ReasonCode = "",
                MessageId = "msg_" + i.ToString(CultureInfo.InvariantCulture),
                PolicyVersion = "sha256:abc",
            };
            ids.Add(record.Id);
            if (i == count - 1)
            {
                await log.BeginAsync(record, Ct);
            }
            else if (i % 3 == 1)
            {
                await log.RecordAsync(record with { Decision = AuditDecision.Denied, ReasonCode = "recipient_not_allowed" }, Ct);
            }
            else
            {
                await log.CompleteAsync(await log.BeginAsync(record, Ct), AuditDecision.Accepted, "accepted", 1, Ct);
            }
        }

        return ids;
    }

    private async Task<AuditHeadCheckpoint> PublishAsync()
    {
        _time.Advance(TimeSpan.FromMinutes(5));
        return Assert.Single(await Publisher.PublishAsync(Ct));
    }

    private Task<CliResult> VerifyAsync(params string[] extra) =>
        CliRun.RunAsync(["audit", "verify", "--settings", Backend.SettingsFile, "--from", DayText, "--to", DayText, .. extra]);

    private async Task<JsonNode> VerifyJsonAsync(int exitCode)
    {
        var result = await VerifyAsync("--json");
        Assert.True(exitCode == result.ExitCode, result.Output + result.Error);
        return JsonSchemas.AssertValid(result.Output, "audit-verify.schema.json")["result"]!;
    }

    private async Task AssertFirstProblemAsync(string recordId, string kind, string? detail = null)
    {
        var result = await VerifyJsonAsync(ExitCodes.Failed);
        Assert.False((bool)result["intact"]!);
        var first = result["firstProblem"]!;
        Assert.Equal((recordId, kind), ((string)first["recordId"]!, (string)first["kind"]!));
        if (detail is not null)
        {
            Assert.Contains(detail, (string)first["detail"]!, StringComparison.Ordinal);
        }
    }

    private async Task<TableEntity> GetAsync(string id) => (await Backend.Store.GetAsync(AuditLog.Table, Partition, id, Ct))!;

    private Task SetAsync(string id, IReadOnlyDictionary<string, object> properties) =>
        Backend.Store.ReplaceAsync(AuditLog.Table, new TableEntity(Partition, id, properties), "*", Ct);

    private Task DeleteAsync(string id) => Backend.Store.DeleteAsync(AuditLog.Table, Partition, id, "*", Ct);

    [Fact]
    public async Task UntouchedTrailWithHeads_ExitsZero_AndItsJsonValidates()
    {
        var ids = await WriteAsync(5);
        var head = await PublishAsync();

        var result = await VerifyJsonAsync(ExitCodes.Ok);

        Assert.True((bool)result["intact"]!);
        Assert.Equal((5, 1, 4), ((int)result["records"]!, (int)result["chains"]!, (int)result["completed"]!));
        Assert.Equal([ids[4]], result["pending"]!.AsArray().Select(p => (string)p!));
        Assert.True((bool)result["heads"]!["configured"]!);
        Assert.Equal(1, (int)result["heads"]!["checked"]!);
        Assert.Equal(head.Sequence, (long)result["heads"]!["latest"]!["sequence"]!);
        Assert.Equal(0, (int)result["uncovered"]!);
        Assert.Empty(result["problems"]!.AsArray());
    }

    [Fact]
    public async Task RecordEdited_NamedAsEdited_ExitOne()
    {
        var ids = await WriteAsync(5);
        await PublishAsync();
        await SetAsync(ids[2], new Dictionary<string, object>((await GetAsync(ids[2])).Properties) { ["Decision"] = "Denied" });

        await AssertFirstProblemAsync(ids[2], "edited");
    }

    [Fact]
    public async Task RecordDeleted_ItsSuccessorNamedAsDeleted_ExitOne()
    {
        var ids = await WriteAsync(5);
        await PublishAsync();
        await DeleteAsync(ids[1]);

        await AssertFirstProblemAsync(ids[2], "deleted", "place 2 to 2 missing");
    }

    [Fact]
    public async Task ForgedRecordInserted_NamedAsInserted_ExitOne()
    {
        var ids = await WriteAsync(5);
        await PublishAsync();
        var forger = new AuditLog(Backend.Store, new AuditSealer(new byte[32]), _time);
        var forged = await WriteAsync(1, forger);

        await AssertFirstProblemAsync(forged[0], "inserted");
        Assert.NotEqual(ids[^1], forged[0]);
    }

    [Fact]
    public async Task TwoRecordsSwapped_NamedAsReordered_ExitOne()
    {
        var ids = await WriteAsync(5);
        await PublishAsync();
        var first = (await GetAsync(ids[1])).Properties;
        var third = (await GetAsync(ids[3])).Properties;
        await SetAsync(ids[1], third);
        await SetAsync(ids[3], first);

        await AssertFirstProblemAsync(ids[1], "reordered");
    }

    [Fact]
    public async Task NewestRecordsDeleted_NamedAgainstThePublishedHead_ExitOne()
    {
        var ids = await WriteAsync(5);
        var head = await PublishAsync();
        await DeleteAsync(ids[4]);
        await DeleteAsync(ids[3]);

        await AssertFirstProblemAsync(ids[4], "deleted", $"2 record(s) covered by {head.Name} missing");
    }

    [Fact]
    public async Task NewestRecordsDeleted_WithoutHeads_GoUnnoticed_WhichIsTheGapHeadsClose()
    {
        var ids = await WriteAsync(5);
        await PublishAsync();
        await DeleteAsync(ids[4]);
        await DeleteAsync(ids[3]);
        var empty = Path.Combine(Backend.Directory, "no-heads");

        // The same trail read with an empty head log: the chain alone cannot see its lost tail.
        var result = await CliRun.RunAsync("audit", "verify", "--settings", Backend.SettingsFile, "--from", DayText, "--to", DayText,
            "--heads-dir", empty, "--json");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var answer = JsonSchemas.AssertValid(result.Output, "audit-verify.schema.json")["result"]!;
        Assert.Equal((0, 3), ((int)answer["heads"]!["checked"]!, (int)answer["uncovered"]!));
    }

    [Fact]
    public async Task WholeChainOfAWriterDeleted_NamedAgainstThePublishedHead_ExitOne()
    {
        var ids = await WriteAsync(3);
        var head = await PublishAsync();
        foreach (var id in ids)
        {
            await DeleteAsync(id);
        }

        await AssertFirstProblemAsync(ids[2], "deleted", $"3 record(s) covered by {head.Name} missing from all of writer");
    }

    [Fact]
    public async Task RecordsAfterTheLatestHead_AreCountedAsUncovered()
    {
        await WriteAsync(3);
        await PublishAsync();
        await WriteAsync(2);

        var result = await VerifyJsonAsync(ExitCodes.Ok);

        Assert.Equal(2, (int)result["uncovered"]!);
    }

    [Fact]
    public async Task PublishedHeadRemovedFromTheLog_NamedAsHeadDeleted_ExitOne()
    {
        await WriteAsync(2);
        await PublishAsync();
        await WriteAsync(2);
        var removed = await PublishAsync();
        await WriteAsync(2);
        var after = await PublishAsync();
        var page = (await Backend.Heads.ReadAsync(Day, Ct)).Lines;
        Assert.Equal(3, page.Count);

        await Backend.RewriteHeadPageAsync(Day, [page[0], page[2]]);

        await AssertFirstProblemAsync(after.Name, "head_deleted", $"head #{removed.Sequence} to #{removed.Sequence} missing");
    }

    [Theory]
    [InlineData("count")]
    [InlineData("last")]
    [InlineData("seq")]
    public async Task PublishedHeadEdited_NamedAsHeadEdited_ExitOne(string field)
    {
        var ids = await WriteAsync(5);
        var head = await PublishAsync();
        var line = JsonNode.Parse(Assert.Single((await Backend.Heads.ReadAsync(Day, Ct)).Lines))!;
        switch (field)
        {
            case "count": line["heads"]![0]!["count"] = 3; break;
            case "last": line["heads"]![0]!["last"] = ids[2]; break;
            default: line["seq"] = 7; break;
        }

        await Backend.RewriteHeadPageAsync(Day, [line.ToJsonString()]);

        await AssertFirstProblemAsync(field == "seq" ? "head #7" : head.Name, "head_edited");
    }

    [Fact]
    public async Task HeadLogLineThatIsNoCheckpoint_NamedAsHeadEdited_ExitOne()
    {
        await WriteAsync(2);
        var head = await PublishAsync();
        var page = (await Backend.Heads.ReadAsync(Day, Ct)).Lines;

        await Backend.RewriteHeadPageAsync(Day, [.. page, "{\"v\":1,\"seq\":"]);

        await AssertFirstProblemAsync("head line 2", "head_edited");
        Assert.Equal(1, head.Sequence);
    }

    [Fact]
    public async Task TamperedTrail_TableOutputNamesTheFirstProblem()
    {
        var ids = await WriteAsync(5);
        var head = await PublishAsync();
        await DeleteAsync(ids[4]);

        var result = await VerifyAsync();

        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        Assert.Contains($"First problem: deleted — {ids[4]}", result.Output, StringComparison.Ordinal);
        Assert.Contains($"1 record(s) covered by {head.Name} missing", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongSealKey_EveryRecordIsNamed_ExitOne()
    {
        var ids = await WriteAsync(3);
        var settings = JsonNode.Parse(await File.ReadAllTextAsync(Backend.SettingsFile))!;
        settings["Audit"]!["SealKey"] = Convert.ToBase64String(new byte[32]);
        var other = Path.Combine(Backend.Directory, "other-key.json");
        await File.WriteAllTextAsync(other, settings.ToJsonString());

        var result = await CliRun.RunAsync("audit", "verify", "--settings", other, "--from", DayText, "--to", DayText, "--json");

        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        var answer = JsonSchemas.AssertValid(result.Output, "audit-verify.schema.json")["result"]!;
        Assert.Equal(ids, answer["problems"]!.AsArray().Select(p => (string)p!["recordId"]!));
    }

    [Fact]
    public async Task ExportJsonl_RoundTripsEveryStoredField_AndAgreesWithTheStore()
    {
        var ids = await WriteAsync(7);
        await SetAsync(ids[3], new Dictionary<string, object>((await GetAsync(ids[3])).Properties) { ["AddedByHand"] = "note, \"quoted\"" });
        var file = Path.Combine(Backend.Directory, "export.jsonl");

        var result = await CliRun.RunAsync("audit", "export", "--settings", Backend.SettingsFile, "--from", DayText, "--to", DayText,
            "--format", "jsonl", "--output", file, "--json");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.Output + result.Error);
        var answer = JsonSchemas.AssertValid(result.Output, "audit-export.schema.json")["result"]!;
        Assert.Equal(7, (int)answer["records"]!);
        var lines = (await File.ReadAllLinesAsync(file)).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        var stored = await StoredAsync();
        Assert.Equal(stored.Select(e => e.RowKey), lines.Select(l => (string)l["RowKey"]!));
        foreach (var (entity, line) in stored.Zip(lines))
        {
            Assert.Equal(entity.PartitionKey, (string)line["PartitionKey"]!);
            Assert.Equal(entity.Properties.Keys.Order(StringComparer.Ordinal), line.Select(p => p.Key).Where(k => k is not "PartitionKey" and not "RowKey"));
            foreach (var (name, value) in entity.Properties)
            {
                Assert.Equal(value, ReadBack(value, line[name]!));
            }
        }
    }

    [Fact]
    public async Task ExportCsv_AgreesWithTheStore_FieldByField()
    {
        var ids = await WriteAsync(4);
        await SetAsync(ids[1], new Dictionary<string, object>((await GetAsync(ids[1])).Properties) { ["AddedByHand"] = "a,b\n\"c\"" });
        var file = Path.Combine(Backend.Directory, "export.csv");

        var result = await CliRun.RunAsync("audit", "export", "--settings", Backend.SettingsFile, "--from", DayText, "--to", DayText,
            "--format", "csv", "--output", file);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.Output + result.Error);
        var rows = Csv.Parse(await File.ReadAllTextAsync(file));
        var header = rows[0];
        var stored = await StoredAsync();
        Assert.Equal(stored.Count + 1, rows.Count);
        foreach (var (entity, row) in stored.Zip(rows.Skip(1)))
        {
            var cells = header.Zip(row).ToDictionary(c => c.First, c => c.Second, StringComparer.Ordinal);
            Assert.Equal((entity.PartitionKey, entity.RowKey), (cells["PartitionKey"], cells["RowKey"]));
            var other = cells["Other"].Length == 0 ? new JsonObject() : JsonNode.Parse(cells["Other"])!.AsObject();
            foreach (var (name, value) in entity.Properties)
            {
                var read = cells.TryGetValue(name, out var cell) ? ReadBack(value, JsonValue.Create(cell)) : ReadBack(value, other[name]!);
                Assert.Equal(value, read);
            }
        }
    }

    [Fact]
    public async Task ExportToStdout_WritesOnlyRecords_SummaryOnStderr()
    {
        await WriteAsync(3);

        var result = await CliRun.RunAsync("audit", "export", "--settings", Backend.SettingsFile, "--from", DayText, "--to", DayText);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal(3, result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => JsonNode.Parse(l) is JsonObject));
        Assert.Contains("Exported 3 record(s)", result.Error, StringComparison.Ordinal);
    }

    private async Task<List<TableEntity>> StoredAsync()
    {
        var stored = new List<TableEntity>();
        await foreach (var entity in AuditLog.ReadStoredAsync(Backend.Store, Day, Day, Ct))
        {
            stored.Add(entity);
        }

        return stored;
    }

    /// <summary>The exported value read back as the stored value's type (strings for CSV cells, JSON values for JSONL).</summary>
    private static object ReadBack(object stored, JsonNode exported)
    {
        var text = exported.GetValueKind() == System.Text.Json.JsonValueKind.String ? exported.GetValue<string>() : exported.ToJsonString();
        return stored switch
        {
            string => text,
            int => int.Parse(text, CultureInfo.InvariantCulture),
            long => long.Parse(text, CultureInfo.InvariantCulture),
            DateTimeOffset => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            _ => throw new InvalidOperationException("Unexpected stored type " + stored.GetType().Name),
        };
    }
}

/// <summary>The local deployment: SQLite and the append-only head log files.</summary>
public sealed class SqliteAuditCommandTests : AuditCommandTests
{
    protected override AuditTrailBackend CreateBackend() => new SqliteAuditTrailBackend();
}

/// <summary>The Azure deployment on Azurite: Table Storage and an append blob container (immutability not enforced there).</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzuriteAuditCommandTests(AzuriteFixture fixture) : AuditCommandTests
{
    protected override AuditTrailBackend CreateBackend() => new AzuriteAuditTrailBackend(fixture.Azurite);
}
