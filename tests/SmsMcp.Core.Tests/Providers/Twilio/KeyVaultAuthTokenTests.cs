using SmsMcp.Core.Providers.Twilio;
using SmsMcp.Core.Tests.Infrastructure;
using static SmsMcp.Core.Tests.Providers.Twilio.KeyVaultTwilioHarness;

namespace SmsMcp.Core.Tests.Providers.Twilio;

/// <summary>
/// The status-callback auth token of an API-key deployment, from Key Vault through the real <c>SecretClient</c> and managed
/// identity: read once and cached for the TTL, absent → no token (the webhook answers 404), vault down → an error (503)
/// unless a token read earlier is still within the stale grace. A configured token is used without asking the vault.
/// </summary>
[Collection(LoopbackNetworkCollection.Name)]
public sealed class KeyVaultAuthTokenTests
{
    private const string VaultToken = "vault-auth-token-do-not-log-5d1e";
    private const string SecretName = "twilio-auth-token";
    private static readonly CancellationToken Ct = CancellationToken.None;

    private static Task<KeyVaultTwilioHarness> StartAsync(bool configuredToken = false) =>
        KeyVaultTwilioHarness.StartAsync(_ => LoopbackReply.Created(), Ct, new Dictionary<string, string?>
        {
            ["Sms:Twilio:AuthToken"] = configuredToken ? ConfiguredAuthToken : null,
        });

    private static int TokenReads(KeyVaultTwilioHarness h) => h.Vault.Requested.Count(n => n == SecretName);

    [Fact]
    public async Task TokenInTheVault_ReadOnce_CachedForTheTtl_ReadAgainAfter()
    {
        await using var h = await StartAsync();
        h.Vault.SetSecret(SecretName, VaultToken + "\n");

        Assert.Equal(VaultToken, await h.Sms.AuthTokens.GetAsync(Ct));
        h.Clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(VaultToken, await h.Sms.AuthTokens.GetAsync(Ct));
        var readsWithinTtl = h.Vault.Reads;
        h.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(VaultToken, await h.Sms.AuthTokens.GetAsync(Ct));

        Assert.Equal((1, 2), (readsWithinTtl, h.Vault.Reads));
    }

    [Fact]
    public async Task NoSuchSecret_NoToken_AndTheAnswerIsCached()
    {
        await using var h = await StartAsync();

        Assert.Null(await h.Sms.AuthTokens.GetAsync(Ct));
        var asked = TokenReads(h);
        Assert.Null(await h.Sms.AuthTokens.GetAsync(Ct));

        Assert.True(asked >= 1);
        Assert.Equal(asked, TokenReads(h));
    }

    [Fact]
    public async Task VaultDown_NothingCached_Unavailable_NotAskedAgainAtOnce()
    {
        await using var h = await StartAsync();
        h.Vault.SetSecret(SecretName, VaultToken);
        h.Vault.Down = true;

        await Assert.ThrowsAsync<TwilioCredentialUnavailableException>(() => h.Sms.AuthTokens.GetAsync(Ct).AsTask());
        var asked = h.Vault.Requested.Count;
        await Assert.ThrowsAsync<TwilioCredentialUnavailableException>(() => h.Sms.AuthTokens.GetAsync(Ct).AsTask());
        Assert.Equal(asked, h.Vault.Requested.Count);

        h.Vault.Down = false;
        h.Clock.Advance(KeyVaultTwilioCredentialSource.StaleRetryInterval);
        Assert.Equal(VaultToken, await h.Sms.AuthTokens.GetAsync(Ct));
    }

    [Fact]
    public async Task VaultDownAfterTheTtl_TokenReadEarlierStillUsedWithinTheGrace()
    {
        await using var h = await StartAsync();
        h.Vault.SetSecret(SecretName, VaultToken);
        Assert.Equal(VaultToken, await h.Sms.AuthTokens.GetAsync(Ct));
        h.Vault.Down = true;
        h.Clock.Advance(TimeSpan.FromMinutes(11));

        Assert.Equal(VaultToken, await h.Sms.AuthTokens.GetAsync(Ct));
    }

    [Fact]
    public async Task ConfiguredToken_UsedWithoutAskingTheVault()
    {
        await using var h = await StartAsync(configuredToken: true);
        h.Vault.SetSecret(SecretName, VaultToken);

        Assert.Equal(ConfiguredAuthToken, await h.Sms.AuthTokens.GetAsync(Ct));
        Assert.Equal(0, TokenReads(h));
    }

    [Fact]
    public async Task TokenNeverLogged()
    {
        await using var h = await StartAsync();
        h.Vault.SetSecret(SecretName, VaultToken);
        await h.Sms.AuthTokens.GetAsync(Ct);
        h.Vault.Down = true;
        h.Clock.Advance(TimeSpan.FromHours(2));
        await Assert.ThrowsAsync<TwilioCredentialUnavailableException>(() => h.Sms.AuthTokens.GetAsync(Ct).AsTask());

        Assert.DoesNotContain(VaultToken, string.Join("\n", h.Sms.Logs.Lines), StringComparison.Ordinal);
    }
}
