using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Hosting;
using SmsMcp.Core.Storage;
using SmsMcp.Infrastructure.Storage.Sqlite;

namespace SmsMcp.Core.Tests.Audit;

/// <summary>Where the seal key comes from (<c>Audit:SealKey</c>, or derived from the pseudonymization key) and what is refused.</summary>
public sealed class AuditSealKeyTests
{
    private static readonly byte[] PseudonymizationKey = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();

    private static ServiceProvider Build(TempDirectory directory, string? sealKey)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Audit:PseudonymizationKey"] = Convert.ToBase64String(PseudonymizationKey),
            ["Audit:SealKey"] = sealKey,
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ITableStore>(new SqliteTableStore(new SqliteStorageOptions { Path = directory.File("audit.db") }));
        services.AddSmsAudit(configuration, SmsMcpEnvironment.Create(isDevelopment: false, directory.Path));
        return services.BuildServiceProvider();
    }

    private static async Task<DateOnly> WriteOneAsync(ServiceProvider services)
    {
        await services.GetRequiredService<ITableStore>().CreateTableIfNotExistsAsync(AuditLog.Table, CancellationToken.None);
        var now = TimeProvider.System.GetUtcNow();
        await services.GetRequiredService<AuditLog>().RecordAsync(new AuditRecord
        {
            Id = AuditLog.NewId(now), Time = now, CallerId = "ops", Tool = "admin:test", BodyHash = "", BodyLength = 0,
            Stage = AuditStage.Completed, Decision = AuditDecision.Accepted, ReasonCode = "ok",
        }, CancellationToken.None);
        return DateOnly.FromDateTime(now.UtcDateTime);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=")]
    public async Task ConfiguredOrDerivedKey_SealsVerify_AndTheRawPseudonymizationKeyDoesNot(string? sealKey)
    {
        using var directory = new TempDirectory();
        await using var services = Build(directory, sealKey);
        var day = await WriteOneAsync(services);

        Assert.True((await services.GetRequiredService<AuditVerifier>().VerifyAsync(day, CancellationToken.None)).IsIntact);
        var rawKeyVerifier = new AuditVerifier(services.GetRequiredService<ITableStore>(), new AuditSealer(PseudonymizationKey));
        Assert.Equal(AuditProblemKind.Inserted, (await rawKeyVerifier.VerifyAsync(day, CancellationToken.None)).FirstProblem?.Kind);
    }

    [Theory]
    [InlineData("AAAA")]
    [InlineData("not base64!")]
    public void WeakOrMalformedSealKey_IsRefusedAtStart_WithoutEchoingIt(string sealKey)
    {
        using var directory = new TempDirectory();
        using var services = Build(directory, sealKey);

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<AuditOptions>>().Value);
        Assert.Contains("Audit:SealKey", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(sealKey, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShortKey_IsRejectedByTheSealer() =>
        Assert.Throws<ArgumentException>(() => new AuditSealer(new byte[31]));
}
