using Microsoft.Extensions.Time.Testing;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Storage;
using SmsMcp.Core.Tests.Infrastructure;

namespace SmsMcp.Core.Tests.Audit;

/// <summary>
/// Tampering done directly in storage, through <see cref="ITableStore"/> as someone with write access to the table would,
/// and what <see cref="AuditVerifier"/> then names. A backend's test class supplies the store. Every test writes to a day
/// of its own, so backends may share one table between tests.
/// </summary>
public abstract class AuditTamperTests : IAsyncLifetime
{
    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    private FakeTimeProvider _time = null!;

    protected ITableStore Store { get; private set; } = null!;

    private static CancellationToken Ct => CancellationToken.None;

    private AuditSealer Sealer { get; } = new(Key);

    private AuditLog Log { get; set; } = null!;

    private AuditVerifier Verifier { get; set; } = null!;

    private DateOnly Day => DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);

    private string Partition => AuditLog.PartitionOf(Day);

    protected abstract Task<ITableStore> CreateStoreAsync();

    protected abstract Task DisposeStoreAsync();

    async Task IAsyncLifetime.InitializeAsync()
    {
        Store = await CreateStoreAsync();
        await Store.CreateTableIfNotExistsAsync(AuditLog.Table, Ct);

        // A random day in 2000–2099 at 08:00 UTC: the partition is this test's alone on a shared table.
        _time = new FakeTimeProvider(new DateTimeOffset(2000, 1, 1, 8, 0, 0, TimeSpan.Zero).AddDays(Random.Shared.Next(36_000)));
        Log = new AuditLog(Store, Sealer, _time);
        Verifier = new AuditVerifier(Store, Sealer);
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeStoreAsync();

    /// <summary>Five records of one writer: sends accepted and denied, a refusal, a control change, one still pending.</summary>
    private async Task<List<string>> WriteTrailAsync()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            var record = Record(i);
            ids.Add(record.Id);
            switch (i)
            {
                case 1:
                    await Log.RecordAsync(record with { Decision = AuditDecision.Denied, ReasonCode = "recipient_not_allowed" }, Ct);
                    break;
                case 4:
                    await Log.BeginAsync(record, Ct);
                    break;
                default:
                    var handle = await Log.BeginAsync(record, Ct);
                    await Log.CompleteAsync(handle, AuditDecision.Accepted, "accepted", 1, Ct);
                    break;
            }
        }

        return ids;
    }

    private AuditRecord Record(int i)
    {
        var now = _time.GetUtcNow();
        return new AuditRecord
        {
            Id = AuditLog.NewId(now),
            Time = now,
            CallerId = "dev",
            Tool = "send_sms",
            RecipientRef = "r_" + new string((char)('a' + i), 32),
            BodyHash = new string('0', 63) + i,
            BodyLength = 10 + i,
            Segments = 1,
            Stage = AuditStage.Attempt,
            Decision = AuditDecision.Pending,
            ReasonCode = "",
            MessageId = "msg_" + i,
            PolicyVersion = "sha256:abc",
        };
    }

    private async Task<TableEntity> GetAsync(string id) => (await Store.GetAsync(AuditLog.Table, Partition, id, Ct))!;

    private async Task SetAsync(string id, IReadOnlyDictionary<string, object> properties) =>
        await Store.ReplaceAsync(AuditLog.Table, new TableEntity(Partition, id, properties), "*", Ct);

    private async Task EditAsync(string id, string property, object value)
    {
        var properties = new Dictionary<string, object>((await GetAsync(id)).Properties) { [property] = value };
        await SetAsync(id, properties);
    }

    private static void AssertNames(AuditVerification result, string id, AuditProblemKind kind)
    {
        Assert.False(result.IsIntact);
        Assert.Equal((id, kind), (result.FirstProblem!.RecordId, result.FirstProblem.Kind));
    }

    [Fact]
    public async Task UntouchedTrail_IsIntact_WithCountsAndPending()
    {
        var ids = await WriteTrailAsync();

        var result = await Verifier.VerifyAsync(Day, Ct);

        Assert.True(result.IsIntact, result.FirstProblem?.Detail);
        Assert.Null(result.FirstProblem);
        Assert.Equal((5, 4, 1), (result.Records, result.Completed, result.Chains));
        Assert.Equal([ids[4]], result.Pending);
    }

    [Theory]
    [InlineData("msg_0190f1a2b3c4d5e6f708192a3b4c5d6e")]
    [InlineData("p:msg_0190f1a2b3c4d5e6f708192a3b4c5d6e")]
    [InlineData("w:0638123456789012345-0190f1a2b3c4d5e6f708192a3b4c5d6e")]
    public async Task RowOfAnotherKindInTheDayPartition_IsNoRecord_VerifyReadAndExportSkipIt(string rowKey)
    {
        var ids = await WriteTrailAsync();
        await Store.InsertAsync(AuditLog.Table, new TableEntity(Partition, rowKey, new Dictionary<string, object> { ["CallerId"] = "c" }), Ct);

        var result = await Verifier.VerifyAsync(Day, Ct);
        Assert.True(result.IsIntact, result.FirstProblem?.Detail);
        Assert.Equal(ids.Count, result.Records);
        Assert.Equal(ids, (await Log.ReadDayAsync(Day, Ct)).Select(r => r.Id));
        var exported = new List<string>();
        await foreach (var entity in AuditLog.ReadStoredAsync(Store, Day, Day, Ct))
        {
            exported.Add(entity.RowKey);
        }

        Assert.Equal(ids, exported);
    }

    [Fact]
    public async Task PendingAttemptCompletedLater_StillIntact_NoLongerPending()
    {
        _time.Advance(TimeSpan.FromSeconds(1));
        var handle = await Log.BeginAsync(Record(0), Ct);
        Assert.Equal([handle.Record.Id], (await Verifier.VerifyAsync(Day, Ct)).Pending);

        await Log.CompleteAsync(handle, AuditDecision.Failed, "provider_failed", 1, Ct);

        var result = await Verifier.VerifyAsync(Day, Ct);
        Assert.True(result.IsIntact, result.FirstProblem?.Detail);
        Assert.Empty(result.Pending);
    }

    public static TheoryData<string, object> Edits => new()
    {
        { "Decision", nameof(AuditDecision.Denied) },
        { "ReasonCode", "recipient_not_allowed" },
        { "CallerId", "someone-else" },
        { "BodyHash", new string('f', 64) },
        { "RecipientRef", "r_" + new string('f', 32) },
        { "Time", new DateTimeOffset(2001, 2, 3, 4, 5, 6, TimeSpan.Zero) },
        { "BodyLength", 999 },
        { "Segments", 7 },
        { "Stage", nameof(AuditStage.Attempt) },
        { "MessageId", "msg_forged" },
        { "PolicyVersion", "sha256:other" },
        { "SealSeq", 42L },
        { "AddedByHand", "note" },
    };

    [Theory]
    [MemberData(nameof(Edits))]
    public async Task PropertyEdited_VerifyNamesTheRecord_AsEdited(string property, object value)
    {
        var ids = await WriteTrailAsync();
        await EditAsync(ids[2], property, value);

        AssertNames(await Verifier.VerifyAsync(Day, Ct), ids[2], AuditProblemKind.Edited);
    }

    [Fact]
    public async Task PropertyRemoved_VerifyNamesTheRecord_AsEdited()
    {
        var ids = await WriteTrailAsync();
        var properties = new Dictionary<string, object>((await GetAsync(ids[3])).Properties);
        properties.Remove("RecipientRef");
        await SetAsync(ids[3], properties);

        AssertNames(await Verifier.VerifyAsync(Day, Ct), ids[3], AuditProblemKind.Edited);
    }

    [Fact]
    public async Task PendingAttemptCompletedByHand_VerifyNamesIt_AsEdited()
    {
        var ids = await WriteTrailAsync();
        var properties = new Dictionary<string, object>((await GetAsync(ids[4])).Properties)
        {
            ["Stage"] = nameof(AuditStage.Completed),
            ["Decision"] = nameof(AuditDecision.Denied),
            ["ReasonCode"] = "recipient_not_allowed",
        };
        await SetAsync(ids[4], properties);

        AssertNames(await Verifier.VerifyAsync(Day, Ct), ids[4], AuditProblemKind.Edited);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task RecordDeleted_VerifyNamesItsSuccessor_AsDeleted(int deleted)
    {
        var ids = await WriteTrailAsync();
        await Store.DeleteAsync(AuditLog.Table, Partition, ids[deleted], "*", Ct);

        var result = await Verifier.VerifyAsync(Day, Ct);

        AssertNames(result, ids[deleted + 1], AuditProblemKind.Deleted);
        Assert.Equal(4, result.Records);
    }

    [Fact]
    public async Task UnsealedRecordInserted_VerifyNamesIt_AsInserted()
    {
        var ids = await WriteTrailAsync();
        var forged = ids[2][..19] + "-" + new string('0', 32);
        var properties = new Dictionary<string, object>((await GetAsync(ids[2])).Properties);
        foreach (var seal in properties.Keys.Where(AuditSealer.IsSealProperty).ToList())
        {
            properties.Remove(seal);
        }

        await Store.InsertAsync(AuditLog.Table, new TableEntity(Partition, forged, properties), Ct);

        AssertNames(await Verifier.VerifyAsync(Day, Ct), forged, AuditProblemKind.Inserted);
    }

    [Fact]
    public async Task RecordSealedWithWrongKeyInserted_VerifyNamesIt_AsInserted()
    {
        var ids = await WriteTrailAsync();

        // A well-formed record with seals and a chain of its own, written by an audit log with another key.
        var forger = new AuditLog(Store, new AuditSealer(new byte[32]), _time);
        var forged = Record(9) with { Id = ids[1][..19] + "-" + new string('0', 32) };
        await forger.RecordAsync(forged with { Decision = AuditDecision.Denied, ReasonCode = "sending_disabled" }, Ct);

        AssertNames(await Verifier.VerifyAsync(Day, Ct), forged.Id, AuditProblemKind.Inserted);
    }

    [Fact]
    public async Task GenuineRecordCopiedUnderNewId_VerifyNamesTheCopy_AsInserted()
    {
        var ids = await WriteTrailAsync();
        var copy = ids[0][..19] + "-" + new string('0', 32);
        await Store.InsertAsync(AuditLog.Table, new TableEntity(Partition, copy, (await GetAsync(ids[3])).Properties), Ct);

        AssertNames(await Verifier.VerifyAsync(Day, Ct), copy, AuditProblemKind.Inserted);
    }

    [Fact]
    public async Task SealsCopiedOntoForgedContent_VerifyNamesIt_AsInserted()
    {
        var ids = await WriteTrailAsync();
        var copy = ids[3] + "0";
        var properties = new Dictionary<string, object>((await GetAsync(ids[3])).Properties) { ["CallerId"] = "forger" };
        await Store.InsertAsync(AuditLog.Table, new TableEntity(Partition, copy, properties), Ct);

        AssertNames(await Verifier.VerifyAsync(Day, Ct), copy, AuditProblemKind.Inserted);
    }

    [Fact]
    public async Task TwoRecordsSwapped_VerifyNamesTheFirst_AsReordered()
    {
        var ids = await WriteTrailAsync();
        var first = (await GetAsync(ids[1])).Properties;
        var third = (await GetAsync(ids[3])).Properties;
        await SetAsync(ids[1], third);
        await SetAsync(ids[3], first);

        var result = await Verifier.VerifyAsync(Day, Ct);

        AssertNames(result, ids[1], AuditProblemKind.Reordered);
        Assert.Equal((ids[3], AuditProblemKind.Reordered), (result.Problems[1].RecordId, result.Problems[1].Kind));
        Assert.Equal(2, result.Problems.Count);
    }

    [Fact]
    public async Task RecordMovedToAnotherRowKey_VerifyNamesTheMovedRecord()
    {
        var ids = await WriteTrailAsync();
        var moved = ids[0][..19] + "-" + new string('0', 32);
        var entity = await GetAsync(ids[2]);
        await Store.DeleteAsync(AuditLog.Table, Partition, ids[2], "*", Ct);
        await Store.InsertAsync(AuditLog.Table, new TableEntity(Partition, moved, entity.Properties), Ct);

        AssertNames(await Verifier.VerifyAsync(Day, Ct), moved, AuditProblemKind.Edited);
    }

    [Fact]
    public async Task RangeOfDays_ReportsTheFirstBadDay_AndSumsCounts()
    {
        var ids = await WriteTrailAsync();
        var firstDay = Day;
        await EditAsync(ids[2], "ReasonCode", "edited");
        _time.Advance(TimeSpan.FromDays(1));
        var nextIds = await WriteTrailAsync();
        await Store.DeleteAsync(AuditLog.Table, AuditLog.PartitionOf(Day), nextIds[1], "*", Ct);

        var result = await Verifier.VerifyAsync(firstDay, Day, Ct);

        AssertNames(result, ids[2], AuditProblemKind.Edited);
        Assert.Equal((nextIds[2], AuditProblemKind.Deleted), (result.Problems[1].RecordId, result.Problems[1].Kind));
        Assert.Equal(9, result.Records);
        Assert.Equal(2, result.Chains);
    }

    [Fact]
    public async Task EmptyDay_IsIntact_WithZeroCounts()
    {
        var result = await Verifier.VerifyAsync(Day, Ct);

        Assert.True(result.IsIntact);
        Assert.Equal((0, 0, 0), (result.Records, result.Completed, result.Chains));
    }
}
