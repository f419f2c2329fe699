using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Azure.Core;
using Azure.Identity;
using SmsMcp.Core.Storage;
using SmsMcp.Infrastructure.Storage.AzureTables;

namespace SmsMcp.Core.Tests.Storage.AzureTables;

/// <summary>What the Table Storage backend adds to the contract: failing closed, its own options and formats.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureTableStoreTests(AzuriteFixture fixture)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    /// <summary>Generous on purpose: the assertion is "bounded by the deadline", not a benchmark.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(3);

    // ---- failing closed ---------------------------------------------------------------------------------------------

    [Fact]
    public async Task ClosedPort_EveryOperationThrowsStorageUnavailableWithinTheTimeout()
    {
        var timeout = TimeSpan.FromSeconds(2);
        var store = KeyStore(new Uri($"http://127.0.0.1:{LoopbackPort.Free()}/devstoreaccount1"), timeout);

        foreach (var operation in AllOperations(store, "things"))
        {
            var watch = Stopwatch.StartNew();
            await Assert.ThrowsAsync<StorageUnavailableException>(operation);
            Assert.True(watch.Elapsed < timeout + Slack, $"Took {watch.Elapsed}.");
        }
    }

    [Fact]
    public async Task ServerThatNeverAnswers_ThrowsStorageUnavailableAtTheDeadline()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start(backlog: 16);
        var timeout = TimeSpan.FromMilliseconds(500);
        var store = KeyStore(new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/devstoreaccount1"), timeout);

        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => store.GetAsync("things", "p", "r", Ct));

        // The runtime's timers may fire up to a tick (~15 ms) early: "at the deadline" means not clearly before it.
        Assert.True(watch.Elapsed >= timeout - TimeSpan.FromMilliseconds(50), $"Gave up after {watch.Elapsed}, before the deadline.");
        Assert.True(watch.Elapsed < timeout + Slack, $"Took {watch.Elapsed}.");
        Assert.Contains("did not answer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallerCancellation_IsReportedAsCancellationNotAsUnavailable()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start(backlog: 16);
        var store = KeyStore(new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/devstoreaccount1"), TimeSpan.FromSeconds(30));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.GetAsync("things", "p", "r", cancellation.Token));
    }

    [Fact]
    public async Task AzuriteKilledMidTest_ReadsAndWritesThrowStorageUnavailable()
    {
        var azurite = await AzuriteEmulator.StartAsync();
        await using var _ = azurite;
        var timeout = TimeSpan.FromSeconds(2);
        var store = KeyStore(azurite.TableEndpoint, timeout);
        await store.CreateTableIfNotExistsAsync("things", Ct);
        var etag = await store.InsertAsync("things", Entity("p", "r"), Ct);

        await azurite.KillAsync();

        foreach (var operation in AllOperations(store, "things", etag))
        {
            var watch = Stopwatch.StartNew();
            await Assert.ThrowsAsync<StorageUnavailableException>(operation);
            Assert.True(watch.Elapsed < timeout + Slack, $"Took {watch.Elapsed}.");
        }
    }

    [Fact]
    public async Task WrongAccountKey_ThrowsStorageUnavailableNamingTheStatusButNotTheKey()
    {
        var wrongKey = Convert.ToBase64String(Enumerable.Repeat((byte)7, 64).ToArray());
        var store = new AzureTableStore(new AzureTableStoreOptions
        {
            ConnectionString = DevelopmentStorageAccount.ConnectionString(fixture.Azurite.TableEndpoint, wrongKey),
        });

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => store.CreateTableIfNotExistsAsync("things", Ct));

        Assert.Contains("403", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongKey, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenCredentialThatFails_ThrowsStorageUnavailable()
    {
        var store = new AzureTableStore(new AzureTableStoreOptions
        {
            ServiceUri = new Uri($"https://127.0.0.1:{LoopbackPort.Free()}/devstoreaccount1"),
            Credential = new FailingTokenCredential(),
        });

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => store.GetAsync("things", "p", "r", Ct));

        Assert.IsType<AuthenticationFailedException>(error.InnerException);
    }

    [Fact]
    public async Task ErrorsAndTheirMessages_NeverCarryKeysOrValues()
    {
        var store = KeyStore(fixture.Azurite.TableEndpoint, AzureTableStoreOptions.DefaultRequestTimeout);
        var table = "t" + Guid.NewGuid().ToString("N");
        const string Secret = "S3cr3tKeyPart";
        var entity = new TableEntity(Secret, Secret, new Dictionary<string, object> { ["Value"] = Secret });

        var errors = new List<Exception>
        {
            await Assert.ThrowsAsync<StorageUnavailableException>(() => store.InsertAsync(table, entity, Ct)),
        };
        await store.CreateTableIfNotExistsAsync(table, Ct);
        var etag = await store.InsertAsync(table, entity, Ct);
        errors.Add(await Assert.ThrowsAsync<EntityAlreadyExistsException>(() => store.InsertAsync(table, entity, Ct)));
        await store.ReplaceAsync(table, entity, etag, Ct);
        errors.Add(await Assert.ThrowsAsync<PreconditionFailedException>(() => store.ReplaceAsync(table, entity, etag, Ct)));
        errors.Add(await Assert.ThrowsAsync<EntityNotFoundException>(() => store.DeleteAsync(table, Secret, "other", "*", Ct)));

        Assert.All(errors, e => Assert.DoesNotContain(Secret, e.Message, StringComparison.Ordinal));
    }

    // ---- formats ----------------------------------------------------------------------------------------------------

    [Fact]
    public async Task ContinuationToken_IsOpaqueAndStaysInsideThePartitionAsked()
    {
        var store = KeyStore(fixture.Azurite.TableEndpoint, AzureTableStoreOptions.DefaultRequestTimeout);
        var table = "t" + Guid.NewGuid().ToString("N");
        await store.CreateTableIfNotExistsAsync(table, Ct);
        foreach (var partition in new[] { "p1", "p2" })
        {
            foreach (var key in new[] { "a", "b", "c" })
            {
                await store.InsertAsync(table, Entity(partition, key), Ct);
            }
        }

        var first = await store.QueryPartitionAsync(table, "p1", null, null, 1, null, Ct);
        var elsewhere = await store.QueryPartitionAsync(table, "p2", null, null, 10, first.ContinuationToken, Ct);

        Assert.NotNull(first.ContinuationToken);
        Assert.DoesNotContain("p1", first.ContinuationToken, StringComparison.Ordinal);
        Assert.All(elsewhere.Entities, e => Assert.Equal("p2", e.PartitionKey));
    }

    [Fact]
    public async Task KeysWithQuotesPercentAndSpaces_AddressExactlyTheirEntity()
    {
        var store = KeyStore(fixture.Azurite.TableEndpoint, AzureTableStoreOptions.DefaultRequestTimeout);
        var table = "t" + Guid.NewGuid().ToString("N");
        await store.CreateTableIfNotExistsAsync(table, Ct);
        string[] keys = ["a'b", "a''b", "a%27b", "a%b", "a b", "a+b", "'", "''", "(x)", "a,RowKey='b'"];
        foreach (var key in keys)
        {
            await store.InsertAsync(table, Entity(key, key), Ct);
        }

        foreach (var key in keys)
        {
            var read = await store.GetAsync(table, key, key, Ct);
            Assert.Equal(key, read!.PartitionKey);
            Assert.Equal(key, read.RowKey);
            Assert.Equal(key, Assert.Single((await store.QueryPartitionAsync(table, key, key, key + "\0", 10, null, Ct)).Entities).RowKey);
        }
    }

    // ---- options ----------------------------------------------------------------------------------------------------

    [Fact]
    public void DefaultOptions_AreTheDocumentedOnes()
    {
        var options = new AzureTableStoreOptions();

        Assert.Equal(TimeSpan.FromSeconds(5), options.RequestTimeout);
        Assert.Equal(2, options.Retry.MaxRetries);
        Assert.False(options.Diagnostics.IsLoggingEnabled);
        Assert.False(options.Diagnostics.IsDistributedTracingEnabled);
    }

    public static TheoryData<string> InvalidOptionNames => new()
    {
        "Nothing", "UriWithoutCredential", "CredentialWithoutUri", "ConnectionStringAndCredential", "ConnectionStringAndUri",
        "RelativeUri", "FtpUri", "TokenOverHttp", "MalformedConnectionString", "TimeoutTooShort", "TimeoutTooLong",
    };

    [Theory]
    [MemberData(nameof(InvalidOptionNames))]
    public void InvalidOptions_AreRejectedAtConstruction(string name)
    {
        var connectionString = fixture.Azurite.ConnectionString;
        var https = new Uri("https://a.table.core.windows.net");
        var options = name switch
        {
            "Nothing" => new AzureTableStoreOptions(),
            "UriWithoutCredential" => new AzureTableStoreOptions { ServiceUri = https },
            "CredentialWithoutUri" => new AzureTableStoreOptions { Credential = new FailingTokenCredential() },
            "ConnectionStringAndCredential" => new AzureTableStoreOptions { ConnectionString = connectionString, Credential = new FailingTokenCredential() },
            "ConnectionStringAndUri" => new AzureTableStoreOptions { ConnectionString = connectionString, ServiceUri = https },
            "RelativeUri" => new AzureTableStoreOptions { ServiceUri = new Uri("/devstoreaccount1", UriKind.Relative), Credential = new FailingTokenCredential() },
            "FtpUri" => new AzureTableStoreOptions { ServiceUri = new Uri("ftp://127.0.0.1/x"), Credential = new FailingTokenCredential() },
            "TokenOverHttp" => new AzureTableStoreOptions { ServiceUri = new Uri("http://a.table.core.windows.net"), Credential = new FailingTokenCredential() },
            "MalformedConnectionString" => new AzureTableStoreOptions { ConnectionString = "just-a-secret-value" },
            "TimeoutTooShort" => new AzureTableStoreOptions { ConnectionString = connectionString, RequestTimeout = TimeSpan.FromMilliseconds(99) },
            _ => new AzureTableStoreOptions { ConnectionString = connectionString, RequestTimeout = TimeSpan.FromMinutes(2.01) },
        };

        Assert.ThrowsAny<ArgumentException>(() => new AzureTableStore(options));
    }

    [Theory]
    [InlineData("UseDevelopmentStorage=true")]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=a2V5;EndpointSuffix=core.windows.net")]
    [InlineData("AccountName=devstoreaccount1;AccountKey=a2V5;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;")]
    public void UsableConnectionString_IsAccepted(string connectionString)
    {
        Assert.True(AzureTableStore.IsUsableConnectionString(connectionString));
        Assert.NotNull(new AzureTableStore(new AzureTableStoreOptions { ConnectionString = connectionString }));
    }

    [Theory]
    [InlineData("AccountName=acct;AccountKey=not*base64*secret")]
    [InlineData("AccountName=acct;AccountKey=c2VjcmV0;TableEndpoint=not a uri secret")]
    [InlineData("just-a-secret-value")]
    public void MalformedConnectionString_IsRejectedWithoutRepeatingIt(string connectionString)
    {
        Assert.False(AzureTableStore.IsUsableConnectionString(connectionString));
        var error = Assert.ThrowsAny<ArgumentException>(() => new AzureTableStore(new AzureTableStoreOptions { ConnectionString = connectionString }));

        Assert.Contains("ConnectionString", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    private static AzureTableStore KeyStore(Uri serviceUri, TimeSpan timeout) =>
        new(new AzureTableStoreOptions { ConnectionString = DevelopmentStorageAccount.ConnectionString(serviceUri), RequestTimeout = timeout });

    private static TableEntity Entity(string partitionKey, string rowKey) =>
        new(partitionKey, rowKey, new Dictionary<string, object> { ["N"] = 1 });

    private static Func<Task>[] AllOperations(AzureTableStore store, string table, string etag = "*") =>
    [
        () => store.CreateTableIfNotExistsAsync(table, Ct),
        () => store.GetAsync(table, "p", "r", Ct),
        () => store.InsertAsync(table, Entity("p", "new"), Ct),
        () => store.ReplaceAsync(table, Entity("p", "r"), etag, Ct),
        () => store.UpsertAsync(table, Entity("p", "r"), Ct),
        () => store.DeleteAsync(table, "p", "r", etag, Ct),
        () => store.QueryPartitionAsync(table, "p", null, null, 10, null, Ct),
    ];
}
