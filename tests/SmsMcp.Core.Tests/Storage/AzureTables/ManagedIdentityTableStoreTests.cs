using Azure.Core;
using Azure.Identity;
using SmsMcp.Core.Storage;
using SmsMcp.Infrastructure.Storage.AzureTables;

namespace SmsMcp.Core.Tests.Storage.AzureTables;

/// <summary>
/// Token authentication end to end, as in Azure: the real <see cref="ManagedIdentityCredential"/> takes a token from a
/// loopback fake of the App Service managed-identity endpoint, and Azurite over HTTPS with <c>--oauth basic</c> checks it.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ManagedIdentityTableStoreTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task RealManagedIdentityCredential_TokenFromTheAppServiceEndpoint_IsAcceptedByAzuriteOverHttps()
    {
        using var certificate = SelfSignedCertificate.Create();
        await using var azurite = await AzuriteEmulator.StartAsync(new AzuriteOptions { CertificatePemPath = certificate.CertificatePemPath, KeyPemPath = certificate.KeyPemPath, OAuthBasic = true });
        await using var identity = FakeManagedIdentityEndpoint.Start();
        // The App Service source is chosen only when these two are set and no other managed-identity source is.
        using var environment = new EnvironmentScope(
            ("IDENTITY_ENDPOINT", identity.Endpoint), ("IDENTITY_HEADER", identity.Secret),
            ("IMDS_ENDPOINT", null), ("IDENTITY_SERVER_THUMBPRINT", null), ("MSI_ENDPOINT", null), ("MSI_SECRET", null));
        var store = new AzureTableStore(new AzureTableStoreOptions
        {
            ServiceUri = azurite.TableEndpoint,
            Credential = new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned),
            Transport = certificate.TrustingTransport(),
        });

        await store.CreateTableIfNotExistsAsync("identity", Ct);
        var etag = await store.InsertAsync("identity", new TableEntity("p", "r", new Dictionary<string, object> { ["N"] = 1L }), Ct);
        var read = await store.GetAsync("identity", "p", "r", Ct);

        Assert.Equal(etag, read!.ETag);
        Assert.Equal(1L, read.Get<long>("N"));
        Assert.Contains(identity.Requests, r => r is { Resource: "https://storage.azure.com", ApiVersion: "2019-08-01", HeaderMatched: true });
        Assert.DoesNotContain(identity.Requests, r => !r.HeaderMatched);
    }

    [Fact]
    public async Task TokenForAnotherAudience_IsRefusedAndSurfacesAsStorageUnavailable()
    {
        using var certificate = SelfSignedCertificate.Create();
        await using var azurite = await AzuriteEmulator.StartAsync(new AzuriteOptions { CertificatePemPath = certificate.CertificatePemPath, KeyPemPath = certificate.KeyPemPath, OAuthBasic = true });
        var store = new AzureTableStore(new AzureTableStoreOptions
        {
            ServiceUri = azurite.TableEndpoint,
            Credential = new FixedTokenCredential(FakeManagedIdentityEndpoint.Jwt("https://vault.azure.net", DateTimeOffset.UtcNow)),
            Transport = certificate.TrustingTransport(),
        });

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => store.CreateTableIfNotExistsAsync("identity", Ct));

        Assert.Matches("HTTP 40[13]", error.Message);
    }
}
