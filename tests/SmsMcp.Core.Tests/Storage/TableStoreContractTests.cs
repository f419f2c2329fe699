using System.Collections.Concurrent;
using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Tests.Storage;

/// <summary>
/// What every <see cref="ITableStore"/> backend must do. A backend's test class derives from this and supplies a fresh
/// store; every test works in tables of its own, so a backend may share one server between tests.
/// Nothing here may depend on one backend: page sizes, ETag and token formats are only checked as the contract allows.
/// </summary>
public abstract class TableStoreContractTests : IAsyncLifetime
{
    private const string Marker = "S3cr3tMarker";

    protected ITableStore Store { get; private set; } = null!;

    protected static CancellationToken Ct => CancellationToken.None;

    /// <summary>
    /// The longest key the backend under test stores. The contract (and Azure: "a string up to 1024 characters") says
    /// 1024; an emulator with a tighter limit lowers it here, and keys longer than 1024 are rejected by every backend.
    /// </summary>
    protected virtual int LongestStorableKey => 1024;

    /// <summary>Creates a store with no data of earlier tests visible through the tables this suite names.</summary>
    protected abstract Task<ITableStore> CreateStoreAsync();

    /// <summary>Releases what <see cref="CreateStoreAsync"/> made.</summary>
    protected abstract Task DisposeStoreAsync();

    async Task IAsyncLifetime.InitializeAsync() => Store = await CreateStoreAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeStoreAsync();

    // ---- tables -------------------------------------------------------------------------------------------------

    [Fact]
    public async Task CreateTable_CalledAgain_KeepsData()
    {
        var table = await NewTableAsync();
        await Store.InsertAsync(table, Entity("p", "r", ("N", 1)), Ct);

        await Store.CreateTableIfNotExistsAsync(table, Ct);

        Assert.Equal(1, (await Store.GetAsync(table, "p", "r", Ct))!.Get<int>("N"));
    }

    public static TheoryData<string> InvalidTableNames => new()
    {
        "", "ab", "1abc", "abc-d", "abc_d", "abc d", "täble", new string('a', 64), "tables", "Tables",
    };

    [Theory]
    [MemberData(nameof(InvalidTableNames))]
    public async Task InvalidTableName_IsRejectedByEveryOperation(string table)
    {
        var entity = Entity("p", "r", ("N", 1));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.CreateTableIfNotExistsAsync(table, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.GetAsync(table, "p", "r", Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.InsertAsync(table, entity, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ReplaceAsync(table, entity, "*", Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.UpsertAsync(table, entity, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.DeleteAsync(table, "p", "r", "*", Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.QueryPartitionAsync(table, "p", null, null, 10, null, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.SubmitTransactionAsync(table, [TableWrite.Insert(entity)], Ct));
    }

    [Fact]
    public async Task TableNameOf63Characters_IsAccepted()
    {
        var suffix = Guid.NewGuid().ToString("N");
        var longest = "t" + suffix + new string('x', 63 - 1 - suffix.Length);

        await Store.CreateTableIfNotExistsAsync(longest, Ct);
        await Store.InsertAsync(longest, Entity("p", "r"), Ct);

        Assert.NotNull(await Store.GetAsync(longest, "p", "r", Ct));
        Assert.Equal(63, longest.Length);
    }

    [Fact]
    public async Task TableNamesDifferingOnlyInCase_AddressTheSameTable()
    {
        var table = NewTableName();
        await Store.CreateTableIfNotExistsAsync(table.ToUpperInvariant(), Ct);

        await Store.InsertAsync(table.ToLowerInvariant(), Entity("p", "r"), Ct);

        Assert.NotNull(await Store.GetAsync(table.ToUpperInvariant(), "p", "r", Ct));
    }

    [Fact]
    public async Task Tables_AreIsolated()
    {
        var first = await NewTableAsync();
        var second = await NewTableAsync();
        await Store.InsertAsync(first, Entity("p", "r", ("Which", "first")), Ct);
        await Store.InsertAsync(second, Entity("p", "r", ("Which", "second")), Ct);

        await Store.DeleteAsync(first, "p", "r", "*", Ct);

        Assert.Null(await Store.GetAsync(first, "p", "r", Ct));
        Assert.Equal("second", (await Store.GetAsync(second, "p", "r", Ct))!.Get<string>("Which"));
        Assert.Single((await Store.QueryPartitionAsync(second, "p", null, null, 10, null, Ct)).Entities);
    }

    [Fact]
    public async Task ReadsOfAMissingTable_FindNothing()
    {
        var table = NewTableName();

        Assert.Null(await Store.GetAsync(table, "p", "r", Ct));
        var page = await Store.QueryPartitionAsync(table, "p", null, null, 10, null, Ct);
        Assert.Empty(page.Entities);
        Assert.Null(page.ContinuationToken);
    }

    [Fact]
    public async Task WritesToAMissingTable_ThrowStorageUnavailable()
    {
        var table = NewTableName();
        var entity = Entity("p", "r");

        await Assert.ThrowsAsync<StorageUnavailableException>(() => Store.InsertAsync(table, entity, Ct));
        await Assert.ThrowsAsync<StorageUnavailableException>(() => Store.UpsertAsync(table, entity, Ct));
        await Assert.ThrowsAsync<StorageUnavailableException>(() => Store.ReplaceAsync(table, entity, "*", Ct));
        await Assert.ThrowsAsync<StorageUnavailableException>(() => Store.DeleteAsync(table, "p", "r", "*", Ct));
        Assert.Null(await Store.GetAsync(table, "p", "r", Ct));
    }

    // ---- property values ------------------------------------------------------------------------------------------

    public static TheoryData<string> EdgeValueNames => new(EdgeValues().Keys);

    [Theory]
    [MemberData(nameof(EdgeValueNames))]
    public async Task PropertyValue_RoundTripsWithItsExactTypeAndValue(string name)
    {
        var table = await NewTableAsync();
        var value = EdgeValues()[name];

        await Store.InsertAsync(table, Entity("p", "r", ("Value", value)), Ct);
        var read = await Store.GetAsync(table, "p", "r", Ct);

        AssertSameValue(value, read!.Properties["Value"]);
    }

    [Fact]
    public async Task EntityWithEveryType_RoundTripsThroughGetQueryReplaceAndUpsert()
    {
        var table = await NewTableAsync();
        var properties = EdgeValues();
        var entity = new TableEntity("p", "r", properties);

        await Store.InsertAsync(table, entity, Ct);
        AssertSameProperties(properties, (await Store.GetAsync(table, "p", "r", Ct))!.Properties);
        AssertSameProperties(properties, (await Store.QueryPartitionAsync(table, "p", null, null, 10, null, Ct)).Entities.Single().Properties);

        await Store.ReplaceAsync(table, entity, "*", Ct);
        AssertSameProperties(properties, (await Store.GetAsync(table, "p", "r", Ct))!.Properties);

        await Store.UpsertAsync(table, entity, Ct);
        AssertSameProperties(properties, (await Store.GetAsync(table, "p", "r", Ct))!.Properties);
    }

    [Fact]
    public async Task EntityWithNoProperties_RoundTrips()
    {
        var table = await NewTableAsync();

        await Store.InsertAsync(table, Entity("p", "r"), Ct);

        var read = await Store.GetAsync(table, "p", "r", Ct);
        Assert.Equal("p", read!.PartitionKey);
        Assert.Equal("r", read.RowKey);
        Assert.Empty(read.Properties);
    }

    [Fact]
    public async Task DateTimeOffsetWithAnOffset_ComesBackAsTheSameInstantInUtc()
    {
        var table = await NewTableAsync();
        var local = new DateTimeOffset(2024, 7, 1, 12, 0, 0, TimeSpan.FromHours(2)).AddTicks(1234567);

        await Store.InsertAsync(table, Entity("p", "r", ("At", local)), Ct);
        var read = (await Store.GetAsync(table, "p", "r", Ct))!.Get<DateTimeOffset>("At");

        Assert.Equal(TimeSpan.Zero, read.Offset);
        Assert.Equal(local.UtcTicks, read.UtcTicks);
    }

    public static TheoryData<string> UnsupportedValueNames => new(UnsupportedValues().Keys);

    [Theory]
    [MemberData(nameof(UnsupportedValueNames))]
    public async Task UnsupportedPropertyValue_IsRejectedNamingThePropertyAndNothingIsWritten(string name)
    {
        var table = await NewTableAsync();
        // The null-forgiving operator lets the null case through to the store, which must reject it.
        var entity = Entity("p", "r", ("Fine", 1), ("Culprit", UnsupportedValues()[name]!));

        await AssertRejectedAsync(table, entity, mustMention: "Culprit");

        Assert.Null(await Store.GetAsync(table, "p", "r", Ct));
    }

    public static TheoryData<string> InvalidPropertyNames => new()
    {
        "", "1abc", "a-b", "a b", "a.b", "a@b", "PartitionKey", "RowKey", "Timestamp", "ETag", "etag", "rowkey", new string('a', 256),
    };

    [Theory]
    [MemberData(nameof(InvalidPropertyNames))]
    public async Task InvalidPropertyName_IsRejectedAndNothingIsWritten(string name)
    {
        var table = await NewTableAsync();
        var entity = Entity("p", "r", (name, 1));

        await AssertRejectedAsync(table, entity, mustMention: null);

        Assert.Null(await Store.GetAsync(table, "p", "r", Ct));
    }

    [Fact]
    public async Task PropertyNamesAtTheLimits_AreAccepted()
    {
        var table = await NewTableAsync();
        var longest = new string('n', 255);
        var entity = Entity("p", "r", ("_", 1), ("a", 2), ("Ünïcödé_1", 3), (longest, 4));

        await Store.InsertAsync(table, entity, Ct);

        AssertSameProperties(entity.Properties, (await Store.GetAsync(table, "p", "r", Ct))!.Properties);
    }

    [Fact]
    public async Task PropertyNames_AreCaseSensitive()
    {
        var table = await NewTableAsync();
        var entity = Entity("p", "r", ("Count", 1), ("count", 2));

        await Store.InsertAsync(table, entity, Ct);

        AssertSameProperties(entity.Properties, (await Store.GetAsync(table, "p", "r", Ct))!.Properties);
    }

    [Fact]
    public async Task PropertyCount_IsLimitedTo252()
    {
        var table = await NewTableAsync();
        var most = Enumerable.Range(0, 252).ToDictionary(i => $"P{i}", i => (object)i);
        var tooMany = Enumerable.Range(0, 253).ToDictionary(i => $"P{i}", i => (object)i);

        await Store.InsertAsync(table, new TableEntity("p", "most", most), Ct);
        await AssertRejectedAsync(table, new TableEntity("p", "tooMany", tooMany), mustMention: null);

        Assert.Equal(252, (await Store.GetAsync(table, "p", "most", Ct))!.Properties.Count);
        Assert.Null(await Store.GetAsync(table, "p", "tooMany", Ct));
    }

    [Fact]
    public async Task LongestStringAndBinary_AreAcceptedAndOneMoreIsRejected()
    {
        var table = await NewTableAsync();
        var longestString = new string('s', 32 * 1024);
        var longestBinary = Enumerable.Range(0, 64 * 1024).Select(i => (byte)i).ToArray();

        await Store.InsertAsync(table, Entity("p", "r", ("S", longestString), ("B", longestBinary)), Ct);
        await AssertRejectedAsync(table, Entity("p", "s", ("S", longestString + "s")), mustMention: "S");
        await AssertRejectedAsync(table, Entity("p", "b", ("B", new byte[(64 * 1024) + 1])), mustMention: "B");

        var read = await Store.GetAsync(table, "p", "r", Ct);
        Assert.Equal(longestString, read!.Get<string>("S"));
        Assert.Equal(longestBinary, read.Get<byte[]>("B"));
    }

    // ---- keys -------------------------------------------------------------------------------------------------------

    public static TheoryData<string> InvalidKeyNames => new(InvalidKeys().Keys);

    [Theory]
    [MemberData(nameof(InvalidKeyNames))]
    public async Task InvalidRowKey_IsRejectedNamingRowKeyAndNothingIsWritten(string name)
    {
        var table = await NewTableAsync();
        var key = InvalidKeys()[name];
        var entity = Entity("p", key, ("N", 1));

        await AssertRejectedAsync(table, entity, mustMention: "RowKey", mustNotMention: key);
        await AssertKeyRejectedAsync(() => Store.GetAsync(table, "p", key, Ct), "RowKey", key);
        await AssertKeyRejectedAsync(() => Store.DeleteAsync(table, "p", key, "*", Ct), "RowKey", key);

        Assert.Empty((await Store.QueryPartitionAsync(table, "p", null, null, 10, null, Ct)).Entities);
    }

    [Theory]
    [MemberData(nameof(InvalidKeyNames))]
    public async Task InvalidPartitionKey_IsRejectedNamingPartitionKey(string name)
    {
        var table = await NewTableAsync();
        var key = InvalidKeys()[name];
        var entity = Entity(key, "r", ("N", 1));

        await AssertRejectedAsync(table, entity, mustMention: "PartitionKey", mustNotMention: key);
        await AssertKeyRejectedAsync(() => Store.GetAsync(table, key, "r", Ct), "PartitionKey", key);
        await AssertKeyRejectedAsync(() => Store.DeleteAsync(table, key, "r", "*", Ct), "PartitionKey", key);
        await AssertKeyRejectedAsync(() => Store.QueryPartitionAsync(table, key, null, null, 10, null, Ct), "PartitionKey", key);
    }

    [Fact]
    public async Task KeysAtTheLimits_AreAccepted()
    {
        var table = await NewTableAsync();
        var longest = new string('k', LongestStorableKey);
        var unicode = "Ünïcödé-ключ-键-😀 .,;:!'\"()[]{}<>|~`^%&*+=@$_";

        foreach (var (pk, rk) in new[] { (longest, longest), ("", ""), (unicode, unicode) })
        {
            await Store.InsertAsync(table, Entity(pk, rk, ("N", 1)), Ct);
            var read = await Store.GetAsync(table, pk, rk, Ct);
            Assert.Equal(pk, read!.PartitionKey);
            Assert.Equal(rk, read.RowKey);
            Assert.Single((await Store.QueryPartitionAsync(table, pk, null, null, 10, null, Ct)).Entities);
        }
    }

    [Fact]
    public async Task Keys_AreCaseSensitive()
    {
        var table = await NewTableAsync();
        await Store.InsertAsync(table, Entity("p", "key", ("Which", "lower")), Ct);
        await Store.InsertAsync(table, Entity("p", "KEY", ("Which", "upper")), Ct);
        await Store.InsertAsync(table, Entity("P", "key", ("Which", "other partition")), Ct);

        Assert.Equal("lower", (await Store.GetAsync(table, "p", "key", Ct))!.Get<string>("Which"));
        Assert.Equal("upper", (await Store.GetAsync(table, "p", "KEY", Ct))!.Get<string>("Which"));
        Assert.Equal("other partition", (await Store.GetAsync(table, "P", "key", Ct))!.Get<string>("Which"));
    }

    // ---- get / insert -----------------------------------------------------------------------------------------------

    [Fact]
    public async Task GetOfAMissingEntity_ReturnsNull()
    {
        var table = await NewTableAsync();
        await Store.InsertAsync(table, Entity("p", "r"), Ct);

        Assert.Null(await Store.GetAsync(table, "p", "other", Ct));
        Assert.Null(await Store.GetAsync(table, "other", "r", Ct));
    }

    [Fact]
    public async Task Insert_ReturnsTheETagThatGetReports()
    {
        var table = await NewTableAsync();

        var etag = await Store.InsertAsync(table, Entity("p", "r"), Ct);

        Assert.False(string.IsNullOrEmpty(etag));
        Assert.NotEqual("*", etag);
        Assert.Equal(etag, (await Store.GetAsync(table, "p", "r", Ct))!.ETag);
    }

    [Fact]
    public async Task InsertOfAnExistingKey_ThrowsEntityAlreadyExistsAndKeepsTheOriginal()
    {
        var table = await NewTableAsync();
        var etag = await Store.InsertAsync(table, Entity("p", "r", ("Which", "first")), Ct);

        await Assert.ThrowsAsync<EntityAlreadyExistsException>(() => Store.InsertAsync(table, Entity("p", "r", ("Which", "second")), Ct));

        var read = await Store.GetAsync(table, "p", "r", Ct);
        Assert.Equal("first", read!.Get<string>("Which"));
        Assert.Equal(etag, read.ETag);
    }

    [Fact]
    public async Task ETagOnAnEntityBeingWritten_IsIgnored()
    {
        var table = await NewTableAsync();
        var entity = Entity("p", "r") with { ETag = "W/\"made-up\"" };

        var inserted = await Store.InsertAsync(table, entity, Ct);
        var upserted = await Store.UpsertAsync(table, entity, Ct);

        Assert.NotEqual(entity.ETag, inserted);
        Assert.NotEqual(entity.ETag, upserted);
        Assert.Equal(upserted, (await Store.GetAsync(table, "p", "r", Ct))!.ETag);
    }

    // ---- replace ----------------------------------------------------------------------------------------------------

    [Fact]
    public async Task ReplaceWithTheCurrentETag_ReplacesTheWholeEntity()
    {
        var table = await NewTableAsync();
        var etag = await Store.InsertAsync(table, Entity("p", "r", ("Kept", 1), ("Dropped", 2)), Ct);

        var newETag = await Store.ReplaceAsync(table, Entity("p", "r", ("Kept", 10), ("Added", "x")), etag, Ct);

        var read = await Store.GetAsync(table, "p", "r", Ct);
        AssertSameProperties(new Dictionary<string, object> { ["Kept"] = 10, ["Added"] = "x" }, read!.Properties);
        Assert.Equal(newETag, read.ETag);
    }

    [Fact]
    public async Task ReplaceWithAStaleETag_ThrowsPreconditionFailedAndKeepsTheCurrentEntity()
    {
        var table = await NewTableAsync();
        var stale = await Store.InsertAsync(table, Entity("p", "r", ("N", 1)), Ct);
        var current = await Store.ReplaceAsync(table, Entity("p", "r", ("N", 2)), stale, Ct);

        await Assert.ThrowsAsync<PreconditionFailedException>(() => Store.ReplaceAsync(table, Entity("p", "r", ("N", 3)), stale, Ct));

        var read = await Store.GetAsync(table, "p", "r", Ct);
        Assert.Equal(2, read!.Get<int>("N"));
        Assert.Equal(current, read.ETag);
    }

    [Fact]
    public async Task ReplaceWithAnETagNeverIssued_ThrowsPreconditionFailed()
    {
        var table = await NewTableAsync();
        await Store.InsertAsync(table, Entity("p", "r", ("N", 1)), Ct);

        await Assert.ThrowsAsync<PreconditionFailedException>(() => Store.ReplaceAsync(table, Entity("p", "r", ("N", 2)), "W/\"never-issued\"", Ct));

        Assert.Equal(1, (await Store.GetAsync(table, "p", "r", Ct))!.Get<int>("N"));
    }

    [Fact]
    public async Task ReplaceWithWildcard_ReplacesWhateverTheETag()
    {
        var table = await NewTableAsync();
        var first = await Store.InsertAsync(table, Entity("p", "r", ("N", 1)), Ct);
        await Store.ReplaceAsync(table, Entity("p", "r", ("N", 2)), first, Ct);

        var etag = await Store.ReplaceAsync(table, Entity("p", "r", ("N", 3)), "*", Ct);

        var read = await Store.GetAsync(table, "p", "r", Ct);
        Assert.Equal(3, read!.Get<int>("N"));
        Assert.Equal(etag, read.ETag);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("W/\"some-etag\"")]
    public async Task ReplaceOfAMissingEntity_ThrowsEntityNotFoundAndCreatesNothing(string ifMatch)
    {
        var table = await NewTableAsync();

        await Assert.ThrowsAsync<EntityNotFoundException>(() => Store.ReplaceAsync(table, Entity("p", "r", ("N", 1)), ifMatch, Ct));

        Assert.Null(await Store.GetAsync(table, "p", "r", Ct));
    }

    [Fact]
    public async Task ReplaceWithAnEmptyIfMatch_IsRejected()
    {
        var table = await NewTableAsync();
        await Store.InsertAsync(table, Entity("p", "r"), Ct);

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.ReplaceAsync(table, Entity("p", "r"), "", Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.DeleteAsync(table, "p", "r", "", Ct));
    }

    // ---- upsert -----------------------------------------------------------------------------------------------------

    [Fact]
    public async Task UpsertOfAMissingEntity_InsertsIt()
    {
        var table = await NewTableAsync();

        var etag = await Store.UpsertAsync(table, Entity("p", "r", ("N", 1)), Ct);

        var read = await Store.GetAsync(table, "p", "r", Ct);
        Assert.Equal(1, read!.Get<int>("N"));
        Assert.Equal(etag, read.ETag);
    }

    [Fact]
    public async Task UpsertOfAnExistingEntity_ReplacesTheWholeEntity()
    {
        var table = await NewTableAsync();
        await Store.InsertAsync(table, Entity("p", "r", ("Kept", 1), ("Dropped", 2)), Ct);

        await Store.UpsertAsync(table, Entity("p", "r", ("Kept", 10L)), Ct);

        AssertSameProperties(new Dictionary<string, object> { ["Kept"] = 10L }, (await Store.GetAsync(table, "p", "r", Ct))!.Properties);
    }

    // ---- delete -----------------------------------------------------------------------------------------------------

    [Fact]
    public async Task DeleteWithTheCurrentETag_RemovesTheEntity()
    {
        var table = await NewTableAsync();
        var etag = await Store.InsertAsync(table, Entity("p", "r"), Ct);

        await Store.DeleteAsync(table, "p", "r", etag, Ct);

        Assert.Null(await Store.GetAsync(table, "p", "r", Ct));
    }

    [Fact]
    public async Task DeleteWithAStaleETag_ThrowsPreconditionFailedAndKeepsTheEntity()
    {
        var table = await NewTableAsync();
        var stale = await Store.InsertAsync(table, Entity("p", "r", ("N", 1)), Ct);
        await Store.ReplaceAsync(table, Entity("p", "r", ("N", 2)), stale, Ct);

        await Assert.ThrowsAsync<PreconditionFailedException>(() => Store.DeleteAsync(table, "p", "r", stale, Ct));

        Assert.Equal(2, (await Store.GetAsync(table, "p", "r", Ct))!.Get<int>("N"));
    }

    [Fact]
    public async Task DeleteWithWildcard_RemovesTheEntity()
    {
        var table = await NewTableAsync();
        await Store.InsertAsync(table, Entity("p", "r"), Ct);

        await Store.DeleteAsync(table, "p", "r", "*", Ct);

        Assert.Null(await Store.GetAsync(table, "p", "r", Ct));
    }

    [Theory]
    [InlineData("*")]
    [InlineData("W/\"some-etag\"")]
    public async Task DeleteOfAMissingEntity_ThrowsEntityNotFound(string ifMatch)
    {
        var table = await NewTableAsync();
        await Store.InsertAsync(table, Entity("p", "other"), Ct);

        await Assert.ThrowsAsync<EntityNotFoundException>(() => Store.DeleteAsync(table, "p", "r", ifMatch, Ct));

        Assert.NotNull(await Store.GetAsync(table, "p", "other", Ct));
    }

    [Fact]
    public async Task InsertAfterDelete_Succeeds()
    {
        var table = await NewTableAsync();
        await Store.InsertAsync(table, Entity("p", "r", ("N", 1)), Ct);
        await Store.DeleteAsync(table, "p", "r", "*", Ct);

        await Store.InsertAsync(table, Entity("p", "r", ("N", 2)), Ct);

        Assert.Equal(2, (await Store.GetAsync(table, "p", "r", Ct))!.Get<int>("N"));
    }

    // ---- ETags ------------------------------------------------------------------------------------------------------

    [Fact]
    public async Task EveryWrite_IssuesANewETag_EvenWhenNothingChanged()
    {
        var table = await NewTableAsync();
        var entity = Entity("p", "r", ("N", 1));
        var etags = new List<string> { await Store.InsertAsync(table, entity, Ct) };

        etags.Add(await Store.ReplaceAsync(table, entity, etags[^1], Ct));
        etags.Add(await Store.ReplaceAsync(table, entity, "*", Ct));
        etags.Add(await Store.UpsertAsync(table, entity, Ct));
        etags.Add(await Store.UpsertAsync(table, entity, Ct));
        await Store.DeleteAsync(table, "p", "r", etags[^1], Ct);
        etags.Add(await Store.InsertAsync(table, entity, Ct));

        Assert.Equal(etags.Count, etags.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(etags[^1], (await Store.GetAsync(table, "p", "r", Ct))!.ETag);
    }

    // ---- query ------------------------------------------------------------------------------------------------------

    private static readonly string[] OrderingKeys =
        ["b", "a", "B", "A", "ab", "aa", "a0", "_", "-", "0", "9", "~", "é", "z", "zz", "Z", "a b", "a.b", "ä", "中", "\uFFFD"];

    [Fact]
    public async Task Query_ReturnsThePartitionInOrdinalRowKeyOrder()
    {
        var table = await NewTableAsync();
        foreach (var key in OrderingKeys)
        {
            await Store.InsertAsync(table, Entity("p", key, ("Key", key)), Ct);
        }

        var rows = await QueryAllAsync(table, "p", null, null, 1000);

        Assert.Equal(OrderingKeys.Order(StringComparer.Ordinal), rows.Select(e => e.RowKey));
        Assert.All(rows, e => Assert.Equal(e.RowKey, e.Get<string>("Key")));
        Assert.All(rows, e => Assert.Equal("p", e.PartitionKey));
    }

    [Theory]
    [InlineData("b", "d", "b,c")]
    [InlineData("b", null, "b,c,d,e")]
    [InlineData(null, "c", "a,b")]
    [InlineData(null, null, "a,b,c,d,e")]
    [InlineData("bb", "cc", "c")]
    [InlineData("c", "c", "")]
    [InlineData("d", "b", "")]
    [InlineData("f", null, "")]
    [InlineData("", "a", "")]
    public async Task QueryRange_IncludesFromAndExcludesTo(string? from, string? to, string expected)
    {
        var table = await NewTableAsync();
        foreach (var key in new[] { "e", "c", "a", "d", "b" })
        {
            await Store.InsertAsync(table, Entity("p", key), Ct);
        }

        var rows = await QueryAllAsync(table, "p", from, to, 10);

        Assert.Equal(expected, string.Join(',', rows.Select(e => e.RowKey)));
    }

    [Fact]
    public async Task QueryAcrossPages_ReturnsEveryRowOnceInOrderWithinThePageSize()
    {
        var table = await NewTableAsync();
        var keys = Enumerable.Range(0, 25).Select(i => $"r{i:D2}").ToArray();
        foreach (var key in keys.Reverse())
        {
            await Store.InsertAsync(table, Entity("p", key, ("I", int.Parse(key[1..], System.Globalization.CultureInfo.InvariantCulture))), Ct);
        }

        var pages = await QueryPagesAsync(table, "p", null, null, 10);

        Assert.All(pages, p => Assert.True(p.Entities.Count <= 10));
        Assert.True(pages.Count >= 3);
        Assert.Equal(keys, pages.SelectMany(p => p.Entities).Select(e => e.RowKey));
        Assert.Equal(Enumerable.Range(0, 25), pages.SelectMany(p => p.Entities).Select(e => e.Get<int>("I")));
    }

    [Fact]
    public async Task QueryRangeAcrossPages_StaysInTheRange()
    {
        var table = await NewTableAsync();
        var keys = Enumerable.Range(0, 25).Select(i => $"r{i:D2}").ToArray();
        foreach (var key in keys)
        {
            await Store.InsertAsync(table, Entity("p", key), Ct);
        }

        var rows = await QueryAllAsync(table, "p", "r05", "r20", 4);

        Assert.Equal(keys[5..20], rows.Select(e => e.RowKey));
    }

    [Fact]
    public async Task QueryPagesWithOneRowEach_WalkTheWholePartition()
    {
        var table = await NewTableAsync();
        foreach (var key in new[] { "a", "b", "c" })
        {
            await Store.InsertAsync(table, Entity("p", key), Ct);
        }

        var pages = await QueryPagesAsync(table, "p", null, null, 1);

        Assert.Equal(["a", "b", "c"], pages.SelectMany(p => p.Entities).Select(e => e.RowKey));
        Assert.All(pages, p => Assert.True(p.Entities.Count <= 1));
    }

    [Fact]
    public async Task QueryResults_CarryETagsAndProperties()
    {
        var table = await NewTableAsync();
        var etag = await Store.InsertAsync(table, Entity("p", "r", ("N", 7)), Ct);

        var entity = (await Store.QueryPartitionAsync(table, "p", null, null, 10, null, Ct)).Entities.Single();

        Assert.Equal(etag, entity.ETag);
        Assert.Equal(7, entity.Get<int>("N"));
        await Store.ReplaceAsync(table, Entity("p", "r", ("N", 8)), entity.ETag!, Ct);
    }

    [Fact]
    public async Task Partitions_AreIsolated()
    {
        var table = await NewTableAsync();
        foreach (var partition in new[] { "p1", "p2", "p10" })
        {
            foreach (var key in new[] { "a", "b" })
            {
                await Store.InsertAsync(table, Entity(partition, key, ("Partition", partition)), Ct);
            }
        }

        await Store.DeleteAsync(table, "p1", "a", "*", Ct);

        Assert.Equal(["b"], (await QueryAllAsync(table, "p1", null, null, 10)).Select(e => e.RowKey));
        Assert.All(await QueryAllAsync(table, "p2", null, null, 10), e => Assert.Equal("p2", e.Get<string>("Partition")));
        Assert.Equal(2, (await QueryAllAsync(table, "p10", null, null, 10)).Count);
        Assert.Empty(await QueryAllAsync(table, "p", null, null, 10));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1001)]
    [InlineData(int.MaxValue)]
    public async Task QueryWithAPageSizeOutside1To1000_IsRejected(int maxPerPage)
    {
        var table = await NewTableAsync();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.QueryPartitionAsync(table, "p", null, null, maxPerPage, null, Ct));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1000)]
    public async Task QueryWithAPageSizeAtTheLimits_IsAccepted(int maxPerPage)
    {
        var table = await NewTableAsync();
        await Store.InsertAsync(table, Entity("p", "r"), Ct);

        var page = await Store.QueryPartitionAsync(table, "p", null, null, maxPerPage, null, Ct);

        Assert.Single(page.Entities);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a token")]
    [InlineData("!!!!")]
    [InlineData("AAAA")]
    [InlineData("eyJub3QiOiJ5b3VycyJ9")]
    public async Task QueryWithAContinuationTokenNotIssuedByTheStore_IsRejected(string token)
    {
        var table = await NewTableAsync();
        await Store.InsertAsync(table, Entity("p", "r"), Ct);

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.QueryPartitionAsync(table, "p", null, null, 10, token, Ct));
    }

    // ---- entity group transactions ------------------------------------------------------------------------------------

    [Fact]
    public async Task Transaction_AppliesEveryKindOfWriteAndReturnsTheETagsThatGetReports()
    {
        var table = await NewTableAsync();
        var replaced = await Store.InsertAsync(table, Entity("p", "replaced", ("N", 1)), Ct);
        var deleted = await Store.InsertAsync(table, Entity("p", "deleted", ("N", 1)), Ct);
        await Store.InsertAsync(table, Entity("p", "upserted", ("N", 1)), Ct);

        var etags = await Store.SubmitTransactionAsync(table,
        [
            TableWrite.Insert(Entity("p", "inserted", ("N", 2L))),
            TableWrite.Replace(Entity("p", "replaced", ("N", 3)), replaced),
            TableWrite.Upsert(Entity("p", "upserted", ("S", "4"))),
            TableWrite.Delete("p", "deleted", deleted),
            TableWrite.Upsert(Entity("p", "new", ("B", true))),
        ], Ct);

        Assert.Equal(5, etags.Count);
        Assert.Null(etags[3]);
        Assert.Equal(etags[0], (await Store.GetAsync(table, "p", "inserted", Ct))!.ETag);
        Assert.Equal(2L, (await Store.GetAsync(table, "p", "inserted", Ct))!.Get<long>("N"));
        Assert.Equal(etags[1], (await Store.GetAsync(table, "p", "replaced", Ct))!.ETag);
        Assert.Equal(3, (await Store.GetAsync(table, "p", "replaced", Ct))!.Get<int>("N"));
        Assert.Equal(["S"], (await Store.GetAsync(table, "p", "upserted", Ct))!.Properties.Keys);
        Assert.Equal(etags[2], (await Store.GetAsync(table, "p", "upserted", Ct))!.ETag);
        Assert.Null(await Store.GetAsync(table, "p", "deleted", Ct));
        Assert.Equal(etags[4], (await Store.GetAsync(table, "p", "new", Ct))!.ETag);
        Assert.NotEqual(replaced, etags[1]);
    }

    public static TheoryData<string> FailingTransactionWriteNames => new() { "InsertOfAnExistingEntity", "ReplaceWithAStaleETag", "ReplaceOfAMissingEntity", "DeleteWithAStaleETag", "DeleteOfAMissingEntity" };

    [Theory]
    [MemberData(nameof(FailingTransactionWriteNames))]
    public async Task TransactionWithAWriteThatFails_WritesNothingAndNamesThatWrite(string name)
    {
        var table = await NewTableAsync();
        var original = await Store.InsertAsync(table, Entity("p", "existing", ("N", 1)), Ct);
        await Store.ReplaceAsync(table, Entity("p", "existing", ("N", 2)), original, Ct);
        var (failing, expected) = name switch
        {
            "InsertOfAnExistingEntity" => (TableWrite.Insert(Entity("p", "existing", ("N", 9))), typeof(EntityAlreadyExistsException)),
            "ReplaceWithAStaleETag" => (TableWrite.Replace(Entity("p", "existing", ("N", 9)), original), typeof(PreconditionFailedException)),
            "ReplaceOfAMissingEntity" => (TableWrite.Replace(Entity("p", "missing", ("N", 9)), "*"), typeof(EntityNotFoundException)),
            "DeleteWithAStaleETag" => (TableWrite.Delete("p", "existing", original), typeof(PreconditionFailedException)),
            _ => (TableWrite.Delete("p", "missing", "*"), typeof(EntityNotFoundException)),
        };
        var before = await Store.GetAsync(table, "p", "existing", Ct);

        var error = await Assert.ThrowsAnyAsync<StorageException>(() => Store.SubmitTransactionAsync(table,
        [
            TableWrite.Insert(Entity("p", "first", ("N", 1))),
            TableWrite.Upsert(Entity("p", "second", ("N", 1))),
            failing,
            TableWrite.Insert(Entity("p", "last", ("N", 1))),
        ], Ct));

        Assert.IsType(expected, error);
        Assert.Equal(2, error.FailedWriteIndex);
        Assert.Equal(["existing"], (await QueryAllAsync(table, "p", null, null, 10)).Select(e => e.RowKey));
        var after = await Store.GetAsync(table, "p", "existing", Ct);
        Assert.Equal(before!.ETag, after!.ETag);
        Assert.Equal(2, after.Get<int>("N"));
    }

    public static TheoryData<string> InvalidTransactionNames => new()
    {
        "Empty", "TooMany", "TwoPartitions", "OneEntityTwice", "InvalidEntity", "InvalidKeyInADelete", "ReplaceWithoutETag", "DeleteWithoutETag", "InsertWithETag", "UnknownKind",
    };

    [Theory]
    [MemberData(nameof(InvalidTransactionNames))]
    public async Task TransactionBreakingTheRules_IsRejectedAndNothingIsWritten(string name)
    {
        var table = await NewTableAsync();
        var good = TableWrite.Insert(Entity("p", "good", ("N", 1)));
        TableWrite[] writes = name switch
        {
            "Empty" => [],
            "TooMany" => [.. Enumerable.Range(0, 101).Select(i => TableWrite.Insert(Entity("p", $"r{i:D3}")))],
            "TwoPartitions" => [good, TableWrite.Insert(Entity("q", "other"))],
            "OneEntityTwice" => [good, TableWrite.Upsert(Entity("p", "good", ("N", 2)))],
            "InvalidEntity" => [good, TableWrite.Insert(Entity("p", "bad", ("Bad", 1.5f)))],
            "InvalidKeyInADelete" => [good, TableWrite.Delete("p", Marker + "/x", "*")],
            "ReplaceWithoutETag" => [good, new TableWrite(TableWriteKind.Replace, Entity("p", "other"))],
            "DeleteWithoutETag" => [good, new TableWrite(TableWriteKind.Delete, Entity("p", "other"), "")],
            "InsertWithETag" => [good, new TableWrite(TableWriteKind.Insert, Entity("p", "other"), "*")],
            _ => [good, new TableWrite((TableWriteKind)42, Entity("p", "other"), "*")],
        };

        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.SubmitTransactionAsync(table, writes, Ct));

        Assert.DoesNotContain(Marker, error.Message, StringComparison.Ordinal);
        Assert.Empty(await QueryAllAsync(table, "p", null, null, 10));
        Assert.Empty(await QueryAllAsync(table, "q", null, null, 10));
    }

    [Fact]
    public async Task TransactionOf100Writes_IsAppliedWhole()
    {
        var table = await NewTableAsync();
        var keys = Enumerable.Range(0, 100).Select(i => $"r{i:D3}").ToArray();

        var etags = await Store.SubmitTransactionAsync(table, [.. keys.Select((k, i) => TableWrite.Insert(Entity("p", k, ("I", i))))], Ct);

        Assert.Equal(100, etags.Count);
        var rows = await QueryAllAsync(table, "p", null, null, 1000);
        Assert.Equal(keys, rows.Select(e => e.RowKey));
        Assert.Equal(etags, rows.Select(e => e.ETag));
    }

    [Fact]
    public async Task TransactionOnAMissingTable_ThrowsStorageUnavailable()
    {
        var table = NewTableName();

        await Assert.ThrowsAsync<StorageUnavailableException>(() => Store.SubmitTransactionAsync(table, [TableWrite.Insert(Entity("p", "r"))], Ct));

        Assert.Null(await Store.GetAsync(table, "p", "r", Ct));
    }

    /// <summary>
    /// Random transactions over a handful of keys, each checked against a model of the partition: the store applies
    /// exactly the transactions whose every write the model admits, reports the first failing write, and holds what the model holds.
    /// </summary>
    [Fact]
    public async Task RandomTransactions_AgreeWithAModelOfThePartition()
    {
        var table = await NewTableAsync();
        var seed = Random.Shared.Next();
        var random = new Random(seed);
        var model = new Dictionary<string, (string ETag, int Value)>(StringComparer.Ordinal);
        string[] keys = ["a", "b", "c", "d", "e", "f"];
        for (var round = 0; round < 40; round++)
        {
            var chosen = keys.OrderBy(_ => random.Next()).Take(random.Next(1, 5)).ToArray();
            var writes = new List<TableWrite>();
            int? firstFailure = null;
            foreach (var key in chosen)
            {
                var exists = model.TryGetValue(key, out var current);
                var ifMatch = random.Next(4) switch { 0 => "*", 1 => "W/\"stale\"", _ => exists ? current.ETag : "*" };
                var write = random.Next(4) switch
                {
                    0 => TableWrite.Insert(Entity("p", key, ("V", round))),
                    1 => TableWrite.Replace(Entity("p", key, ("V", round)), ifMatch),
                    2 => TableWrite.Upsert(Entity("p", key, ("V", round))),
                    _ => TableWrite.Delete("p", key, ifMatch),
                };
                var admitted = write.Kind switch
                {
                    TableWriteKind.Insert => !exists,
                    TableWriteKind.Upsert => true,
                    _ => exists && (write.IfMatch == "*" || write.IfMatch == current.ETag),
                };
                if (!admitted)
                {
                    firstFailure ??= writes.Count;
                }

                writes.Add(write);
            }

            try
            {
                var etags = await Store.SubmitTransactionAsync(table, writes, Ct);
                Assert.True(firstFailure is null, $"Seed {seed}, round {round}: write {firstFailure} should have failed.");
                for (var i = 0; i < writes.Count; i++)
                {
                    if (writes[i].Kind == TableWriteKind.Delete)
                    {
                        model.Remove(writes[i].Entity.RowKey);
                    }
                    else
                    {
                        model[writes[i].Entity.RowKey] = (etags[i]!, round);
                    }
                }
            }
            catch (StorageException e) when (e is EntityAlreadyExistsException or PreconditionFailedException or EntityNotFoundException)
            {
                Assert.True(firstFailure == e.FailedWriteIndex, $"Seed {seed}, round {round}: expected failure at {firstFailure}, got {e.FailedWriteIndex}.");
            }

            var stored = await QueryAllAsync(table, "p", null, null, 10);
            Assert.Equal(model.Keys.Order(StringComparer.Ordinal), stored.Select(e => e.RowKey));
            Assert.All(stored, e => Assert.Equal((model[e.RowKey].ETag, model[e.RowKey].Value), (e.ETag!, e.Get<int>("V"))));
        }
    }

    [Fact]
    public async Task ConcurrentTransactionsOnOneGeneration_HaveExactlyOneWinner()
    {
        var table = await NewTableAsync();
        var first = await Store.InsertAsync(table, Entity("p", "x", ("Writer", -1)), Ct);
        var second = await Store.InsertAsync(table, Entity("p", "y", ("Writer", -1)), Ct);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            try
            {
                await Store.SubmitTransactionAsync(table,
                    [TableWrite.Replace(Entity("p", "x", ("Writer", i)), first), TableWrite.Replace(Entity("p", "y", ("Writer", i)), second)], Ct);
                return true;
            }
            catch (PreconditionFailedException)
            {
                return false;
            }
        })));

        var winner = Array.IndexOf(outcomes, true);
        Assert.Single(outcomes, won => won);
        Assert.Equal(winner, (await Store.GetAsync(table, "p", "x", Ct))!.Get<int>("Writer"));
        Assert.Equal(winner, (await Store.GetAsync(table, "p", "y", Ct))!.Get<int>("Writer"));
    }

    // ---- concurrency ------------------------------------------------------------------------------------------------

    [Fact]
    public async Task ConcurrentReadIncrementReplace_HasExactlyOneWinnerPerETagAndLosesNoIncrement()
    {
        var table = await NewTableAsync();
        await Store.InsertAsync(table, Entity("p", "counter", ("Count", 0L)), Ct);
        var winningETags = new ConcurrentBag<string>();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => IncrementAsync(Store, table, winningETags))));

        Assert.Equal(20L, (await Store.GetAsync(table, "p", "counter", Ct))!.Get<long>("Count"));
        Assert.Equal(20, winningETags.Count);
        Assert.Equal(20, winningETags.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task ConcurrentInsertsOfOneKey_HaveExactlyOneWinner()
    {
        var table = await NewTableAsync();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            try
            {
                await Store.InsertAsync(table, Entity("p", "r", ("Writer", i)), Ct);
                return true;
            }
            catch (EntityAlreadyExistsException)
            {
                return false;
            }
        })));

        Assert.Single(outcomes, won => won);
        var winner = Array.IndexOf(outcomes, true);
        Assert.Equal(winner, (await Store.GetAsync(table, "p", "r", Ct))!.Get<int>("Writer"));
    }

    /// <summary>Read, add one, replace-if-match; on 412 read again. Records the ETag each successful replace matched.</summary>
    protected static async Task IncrementAsync(ITableStore store, string table, ConcurrentBag<string> winningETags)
    {
        while (true)
        {
            var current = await store.GetAsync(table, "p", "counter", Ct);
            var next = Entity("p", "counter", ("Count", current!.Get<long>("Count") + 1));
            try
            {
                await store.ReplaceAsync(table, next, current.ETag!, Ct);
                winningETags.Add(current.ETag!);
                return;
            }
            catch (PreconditionFailedException)
            {
                // Someone else won this generation; try on the next one.
            }
        }
    }

    // ---- cancellation -----------------------------------------------------------------------------------------------

    [Fact]
    public async Task CancelledToken_StopsEveryOperationBeforeItWrites()
    {
        var table = await NewTableAsync();
        var etag = await Store.InsertAsync(table, Entity("p", "r", ("N", 1)), Ct);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var token = cancelled.Token;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.CreateTableIfNotExistsAsync(NewTableName(), token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.GetAsync(table, "p", "r", token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.InsertAsync(table, Entity("p", "new"), token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.ReplaceAsync(table, Entity("p", "r", ("N", 2)), etag, token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.UpsertAsync(table, Entity("p", "r", ("N", 3)), token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.DeleteAsync(table, "p", "r", "*", token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.QueryPartitionAsync(table, "p", null, null, 10, null, token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.SubmitTransactionAsync(table, [TableWrite.Insert(Entity("p", "new"))], token));

        var read = await Store.GetAsync(table, "p", "r", Ct);
        Assert.Equal(1, read!.Get<int>("N"));
        Assert.Equal(etag, read.ETag);
        Assert.Null(await Store.GetAsync(table, "p", "new", Ct));
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    protected static string NewTableName() => "t" + Guid.NewGuid().ToString("N");

    protected async Task<string> NewTableAsync()
    {
        var table = NewTableName();
        await Store.CreateTableIfNotExistsAsync(table, Ct);
        return table;
    }

    protected static TableEntity Entity(string partitionKey, string rowKey, params (string Name, object Value)[] properties) =>
        new(partitionKey, rowKey, properties.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal));

    protected async Task<List<TablePage>> QueryPagesAsync(string table, string partitionKey, string? from, string? to, int maxPerPage)
    {
        var pages = new List<TablePage>();
        string? token = null;
        do
        {
            var page = await Store.QueryPartitionAsync(table, partitionKey, from, to, maxPerPage, token, Ct);
            pages.Add(page);
            token = page.ContinuationToken;
            Assert.True(pages.Count <= 1000, "The continuation tokens never ran out.");
        }
        while (token is not null);

        return pages;
    }

    protected async Task<List<TableEntity>> QueryAllAsync(string table, string partitionKey, string? from, string? to, int maxPerPage) =>
        (await QueryPagesAsync(table, partitionKey, from, to, maxPerPage)).SelectMany(p => p.Entities).ToList();

    private async Task AssertRejectedAsync(string table, TableEntity entity, string? mustMention, string? mustNotMention = null)
    {
        foreach (var write in new Func<Task>[]
                 {
                     () => Store.InsertAsync(table, entity, Ct),
                     () => Store.UpsertAsync(table, entity, Ct),
                     () => Store.ReplaceAsync(table, entity, "*", Ct),
                 })
        {
            var error = await Assert.ThrowsAnyAsync<ArgumentException>(write);
            if (mustMention is not null)
            {
                Assert.Contains(mustMention, error.Message, StringComparison.Ordinal);
            }

            if (!string.IsNullOrEmpty(mustNotMention))
            {
                Assert.DoesNotContain(mustNotMention, error.Message, StringComparison.Ordinal);
            }

            Assert.DoesNotContain(Marker, error.Message, StringComparison.Ordinal);
        }
    }

    private static async Task AssertKeyRejectedAsync(Func<Task> operation, string keyName, string key)
    {
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(operation);
        Assert.Contains(keyName, error.Message, StringComparison.Ordinal);
        if (key.Length > 0)
        {
            Assert.DoesNotContain(key, error.Message, StringComparison.Ordinal);
        }
    }

    private static void AssertSameProperties(IReadOnlyDictionary<string, object> expected, IReadOnlyDictionary<string, object> actual)
    {
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, value) in expected)
        {
            AssertSameValue(value, actual[name]);
        }
    }

    private static void AssertSameValue(object expected, object actual)
    {
        Assert.IsType(expected.GetType(), actual);
        switch (expected)
        {
            case byte[] bytes:
                Assert.Equal(bytes, (byte[])actual);
                break;
            case double d:
                // Bitwise, so -0.0 and 0.0 would differ and NaN equals NaN.
                Assert.Equal(BitConverter.DoubleToInt64Bits(d), BitConverter.DoubleToInt64Bits((double)actual));
                break;
            case DateTimeOffset t:
                Assert.Equal(t.UtcTicks, ((DateTimeOffset)actual).UtcTicks);
                Assert.Equal(TimeSpan.Zero, ((DateTimeOffset)actual).Offset);
                break;
            default:
                Assert.Equal(expected, actual);
                break;
        }
    }

    /// <summary>Values at the edges of what Table Storage holds; all in UTC since Table Storage keeps no offset.</summary>
    private static Dictionary<string, object> EdgeValues() => new(StringComparer.Ordinal)
    {
        ["StringEmpty"] = "",
        ["StringUnicode"] = "Grüße, мир, 世界, emoji 😀👍🏽, RTL עברית, combining é",
        ["StringJsonLike"] = "{\"type\":\"Edm.Int64\",\"value\":\"1\"} \\ \" ' <tag> &amp;",
        ["StringWhitespace"] = " \t\r\n ",
        ["StringLooksLikeNumber"] = "9223372036854775808",
        ["Int32Zero"] = 0,
        ["Int32Min"] = int.MinValue,
        ["Int32Max"] = int.MaxValue,
        ["Int64Zero"] = 0L,
        ["Int64Min"] = long.MinValue,
        ["Int64Max"] = long.MaxValue,
        ["DoubleZero"] = 0.0,
        ["DoubleFraction"] = 0.1,
        ["DoubleThird"] = 1.0 / 3.0,
        ["DoubleMin"] = double.MinValue,
        ["DoubleMax"] = double.MaxValue,
        ["DoubleEpsilon"] = double.Epsilon,
        ["DoubleNaN"] = double.NaN,
        ["DoublePositiveInfinity"] = double.PositiveInfinity,
        ["DoubleNegativeInfinity"] = double.NegativeInfinity,
        ["BoolTrue"] = true,
        ["BoolFalse"] = false,
        ["DateTimeTicks"] = new DateTimeOffset(2024, 2, 29, 23, 59, 59, TimeSpan.Zero).AddTicks(1234567),
        ["DateTimeOneTick"] = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(1),
        ["DateTimeEarliest"] = new DateTimeOffset(1601, 1, 1, 0, 0, 0, TimeSpan.Zero),
        ["DateTimeLatest"] = DateTimeOffset.MaxValue,
        ["GuidEmpty"] = Guid.Empty,
        ["GuidValue"] = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"),
        ["BinaryEmpty"] = Array.Empty<byte>(),
        ["BinaryAllBytes"] = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(),
    };

    private static Dictionary<string, object?> UnsupportedValues() => new(StringComparer.Ordinal)
    {
        ["Null"] = null,
        ["Decimal"] = 12345.678m,
        ["DateTime"] = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc),
        ["Single"] = 1.5f,
        ["Int16"] = (short)7,
        ["UInt32"] = 7u,
        ["UInt64"] = 7ul,
        ["Byte"] = (byte)7,
        ["Char"] = 'c',
        ["ObjectArray"] = new object[] { 1 },
        ["IntArray"] = new[] { 1, 2 },
        ["Nested"] = new Dictionary<string, object> { ["Marker"] = Marker },
        ["DateBefore1601"] = new DateTimeOffset(1600, 12, 31, 23, 59, 59, TimeSpan.Zero),
        ["StringWithUnpairedSurrogate"] = Marker + "\uD800",
    };

    private static Dictionary<string, string> InvalidKeys() => new(StringComparer.Ordinal)
    {
        ["Slash"] = Marker + "/x",
        ["Backslash"] = Marker + "\\x",
        ["Hash"] = Marker + "#x",
        ["Question"] = Marker + "?x",
        ["Nul"] = Marker + "\u0000x",
        ["Tab"] = Marker + "\tx",
        ["Newline"] = Marker + "\nx",
        ["Unit1F"] = Marker + "\u001Fx",
        ["Delete7F"] = Marker + "\u007Fx",
        ["C1Control80"] = Marker + "\u0080x",
        ["C1Control9F"] = Marker + "\u009Fx",
        ["TooLong"] = Marker + new string('k', 1025 - Marker.Length),
        ["UnpairedHighSurrogate"] = Marker + "\uD800x",
        ["UnpairedLowSurrogate"] = Marker + "\uDC00",
    };
}
