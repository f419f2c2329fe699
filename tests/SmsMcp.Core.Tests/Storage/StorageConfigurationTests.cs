using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SmsMcp.Core.Hosting;
using SmsMcp.Core.Storage;
using SmsMcp.Infrastructure.Storage;
using SmsMcp.Infrastructure.Storage.AzureTables;
using SmsMcp.Infrastructure.Storage.Sqlite;

namespace SmsMcp.Core.Tests.Storage;

/// <summary><c>Storage:*</c> settings → the backend; every invalid combination is refused at start, naming the setting.</summary>
public sealed class StorageConfigurationTests
{
    private const string EmulatorConnectionString =
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevelopmentStorageAccount.Key};TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;";

    [Fact]
    public void Development_WithNothingSet_UsesSqlite()
    {
        using var services = Build(development: true);

        Assert.IsType<SqliteTableStore>(services.GetRequiredService<ITableStore>());
    }

    [Fact]
    public void AzureTables_WithAConnectionString_UsesTheAzureStoreWithThatConnectionString()
    {
        using var services = Build(development: false, ("Provider", "AzureTables"), ("ConnectionString", EmulatorConnectionString), ("RequestTimeout", "00:00:02"));

        Assert.IsType<AzureTableStore>(services.GetRequiredService<ITableStore>());
        var options = StorageServiceCollectionExtensions.ToAzureTableStoreOptions(services.GetRequiredService<IOptions<StorageOptions>>().Value);
        Assert.Equal(EmulatorConnectionString, options.ConnectionString);
        Assert.Null(options.ServiceUri);
        Assert.Null(options.Credential);
        Assert.Equal(TimeSpan.FromSeconds(2), options.RequestTimeout);
    }

    [Fact]
    public void AzureTables_WithAServiceUri_UsesDefaultAzureCredential()
    {
        using var services = Build(development: false, ("Provider", "azuretables"), ("TableServiceUri", "https://acct.table.core.windows.net"));

        Assert.IsType<AzureTableStore>(services.GetRequiredService<ITableStore>());
        var options = StorageServiceCollectionExtensions.ToAzureTableStoreOptions(services.GetRequiredService<IOptions<StorageOptions>>().Value);
        Assert.IsType<DefaultAzureCredential>(options.Credential);
        Assert.Null(options.ConnectionString);
        Assert.Equal(new Uri("https://acct.table.core.windows.net"), options.ServiceUri);
        Assert.Equal(AzureTableStoreOptions.DefaultRequestTimeout, options.RequestTimeout);
    }

    [Fact]
    public void AzureTables_WithAManagedIdentityClientId_UsesThatManagedIdentity()
    {
        using var services = Build(development: false, ("Provider", "AzureTables"), ("TableServiceUri", "https://acct.table.core.windows.net"),
            ("ManagedIdentityClientId", "6f1d2c1e-0f6b-4c55-9d0a-3f1f5c2f9a11"));

        var options = StorageServiceCollectionExtensions.ToAzureTableStoreOptions(services.GetRequiredService<IOptions<StorageOptions>>().Value);

        Assert.IsType<ManagedIdentityCredential>(options.Credential);
    }

    public static TheoryData<string, string[], string> InvalidSettings => new()
    {
        { "no provider", [], "Storage:Provider" },
        { "unknown provider", ["Provider=Postgres"], "Storage:Provider" },
        { "neither uri nor connection string", ["Provider=AzureTables"], "Storage:TableServiceUri" },
        { "both", ["Provider=AzureTables", "TableServiceUri=https://a.table.core.windows.net", "ConnectionString=" + EmulatorConnectionString], "Storage:ConnectionString" },
        { "http uri", ["Provider=AzureTables", "TableServiceUri=http://a.table.core.windows.net"], "Storage:TableServiceUri" },
        { "relative uri", ["Provider=AzureTables", "TableServiceUri=a.table.core.windows.net"], "Storage:TableServiceUri" },
        { "connection string without key", ["Provider=AzureTables", "ConnectionString=AccountName=acct;TableEndpoint=http://127.0.0.1:1/acct"], "Storage:ConnectionString" },
        { "connection string with a bad key", ["Provider=AzureTables", "ConnectionString=AccountName=acct;AccountKey=S3cr3t*Key"], "Storage:ConnectionString" },
        { "connection string that is no connection string", ["Provider=AzureTables", "ConnectionString=S3cr3t-value"], "Storage:ConnectionString" },
        { "client id not a guid", ["Provider=AzureTables", "TableServiceUri=https://a.table.core.windows.net", "ManagedIdentityClientId=me"], "Storage:ManagedIdentityClientId" },
        { "client id with a connection string", ["Provider=AzureTables", "ConnectionString=" + EmulatorConnectionString, "ManagedIdentityClientId=6f1d2c1e-0f6b-4c55-9d0a-3f1f5c2f9a11"], "Storage:ManagedIdentityClientId" },
        { "timeout too short", ["Provider=AzureTables", "ConnectionString=" + EmulatorConnectionString, "RequestTimeout=00:00:00.05"], "Storage:RequestTimeout" },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void InvalidSettings_AreRefusedAtStartNamingTheSettingButNoSecret(string scenario, string[] settings, string named)
    {
        using var services = Build(development: false, settings.Select(s => (s[..s.IndexOf('=', StringComparison.Ordinal)], s[(s.IndexOf('=', StringComparison.Ordinal) + 1)..])).ToArray());

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<StorageOptions>>().Value);

        Assert.True(error.Message.Contains(named, StringComparison.Ordinal), $"{scenario}: {error.Message}");
        Assert.DoesNotContain("Eby8vdM02x", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("S3cr3t", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(bool development, params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>($"{StorageOptions.SectionName}:{s.Key}", s.Value)))
            .Build();
        var environment = SmsMcpEnvironment.Create(development, Path.Combine(Path.GetTempPath(), "smsmcp-config-" + Guid.NewGuid().ToString("N")));
        return new ServiceCollection().AddSmsStorage(configuration, environment).BuildServiceProvider();
    }
}
