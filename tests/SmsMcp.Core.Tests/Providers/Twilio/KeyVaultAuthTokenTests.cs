using SmsMcp.Core.Messages;
using SmsMcp.Core.Providers;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Infrastructure.Twilio;
using static SmsMcp.Core.Tests.Providers.Twilio.KeyVaultTwilioHarness;

namespace SmsMcp.Core.Tests.Providers.Twilio;

/// <summary>
/// The status-callback auth token of an API-key deployment, from Key Vault through the real <c>SecretClient</c> and managed
/// identity: read once and cached for the TTL, absent → no token (the webhook answers 404), vault down → an error (503)
/// unless a token read earlier is still within the stale grace. A configured token is used without asking the vault. After a
/// failed signature the vault is read again, at most once per <see cref="TwilioVaultSecrets.RetryInterval"/>, and
/// the send credential and the callback token share one cache.
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
        h.Clock.Advance(TwilioVaultSecrets.RetryInterval);
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

    private const string RotatedToken = "vault-auth-token-rotated-do-not-log-8c2f";

    [Fact]
    public async Task RotatedInTheVault_SignatureFailsWithTheCachedToken_ReReadOnce_NewTokenReturnedAndCached()
    {
        await using var h = await StartAsync();
        h.Vault.SetSecret(SecretName, VaultToken);
        Assert.Equal(VaultToken, await h.Sms.AuthTokens.GetAsync(Ct));
        h.Vault.SetSecret(SecretName, RotatedToken);

        var rotated = await h.Sms.AuthTokens.RefreshAfterRejectedSignatureAsync(VaultToken, Ct);

        Assert.Equal(RotatedToken, rotated);
        Assert.Equal(RotatedToken, await h.Sms.AuthTokens.GetAsync(Ct));
        Assert.Equal(2, h.Vault.Reads);
    }

    [Fact]
    public async Task FloodOfBadSignatures_OneVaultReadPerInterval()
    {
        await using var h = await StartAsync();
        h.Vault.SetSecret(SecretName, VaultToken);
        Assert.Equal(VaultToken, await h.Sms.AuthTokens.GetAsync(Ct));

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => h.Sms.AuthTokens.RefreshAfterRejectedSignatureAsync(VaultToken, Ct).AsTask()));
        var readsAfterFlood = h.Vault.Reads;
        h.Clock.Advance(TwilioVaultSecrets.RetryInterval - TimeSpan.FromSeconds(1));
        Assert.Null(await h.Sms.AuthTokens.RefreshAfterRejectedSignatureAsync(VaultToken, Ct));
        var readsWithinInterval = h.Vault.Reads;
        h.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await h.Sms.AuthTokens.RefreshAfterRejectedSignatureAsync(VaultToken, Ct));

        Assert.All(answers, Assert.Null);
        Assert.Equal((2, 2, 3), (readsAfterFlood, readsWithinInterval, h.Vault.Reads));
    }

    [Fact]
    public async Task FloodWhileRotated_EveryWaitingCallbackGetsTheNewToken_OneRead()
    {
        await using var h = await StartAsync();
        h.Vault.SetSecret(SecretName, VaultToken);
        Assert.Equal(VaultToken, await h.Sms.AuthTokens.GetAsync(Ct));
        h.Vault.SetSecret(SecretName, RotatedToken);

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => h.Sms.AuthTokens.RefreshAfterRejectedSignatureAsync(VaultToken, Ct).AsTask()));

        Assert.All(answers, a => Assert.Equal(RotatedToken, a));
        Assert.Equal(2, h.Vault.Reads);
    }

    [Fact]
    public async Task VaultDownWhenASignatureFails_NoNewToken_CachedTokenStillServes()
    {
        await using var h = await StartAsync();
        h.Vault.SetSecret(SecretName, VaultToken);
        Assert.Equal(VaultToken, await h.Sms.AuthTokens.GetAsync(Ct));
        h.Vault.Down = true;

        Assert.Null(await h.Sms.AuthTokens.RefreshAfterRejectedSignatureAsync(VaultToken, Ct));

        Assert.Equal(VaultToken, await h.Sms.AuthTokens.GetAsync(Ct));
    }

    [Fact]
    public async Task ConfiguredToken_FailedSignature_NoVaultRead()
    {
        await using var h = await StartAsync(configuredToken: true);
        h.Vault.SetSecret(SecretName, VaultToken);

        Assert.Null(await h.Sms.AuthTokens.RefreshAfterRejectedSignatureAsync(ConfiguredAuthToken, Ct));
        Assert.Equal(0, h.Vault.Reads);
    }

    [Fact]
    public async Task AuthTokenKind_SendAndCallbacksShareOneCache_EitherRefreshServesBoth()
    {
        await using var h = await KeyVaultTwilioHarness.StartAsync(n => n == 2 ? LoopbackReply.Error(401, 20003) : LoopbackReply.Created(), Ct,
            new Dictionary<string, string?> { ["Sms:Twilio:AuthToken"] = null, ["Sms:Twilio:KeyVaultCredentialKind"] = "AuthToken" });
        h.Vault.SetSecret(SecretName, VaultToken);

        // One read serves both.
        await h.Sms.SendAsync();
        Assert.Equal(VaultToken, await h.Sms.AuthTokens.GetAsync(Ct));
        Assert.Equal(1, h.Vault.Reads);

        // Rotated: the send's 401 re-reads the vault, and callbacks check with the new token without reading it again.
        h.Vault.SetSecret(SecretName, RotatedToken);
        Assert.Equal(MessageStatus.Queued, (await h.Sms.SendAsync()).Status);
        Assert.Equal(RotatedToken, await h.Sms.AuthTokens.GetAsync(Ct));
        Assert.Equal(RotatedToken, await h.Sms.AuthTokens.RefreshAfterRejectedSignatureAsync(VaultToken, Ct));
        Assert.Equal(2, h.Vault.Reads);

        // Rotated again: a failed signature re-reads it, and the next send uses the new token without a 401.
        const string third = "vault-auth-token-third-do-not-log-11aa";
        h.Vault.SetSecret(SecretName, third);
        h.Clock.Advance(TwilioVaultSecrets.RetryInterval);
        Assert.Equal(third, await h.Sms.AuthTokens.RefreshAfterRejectedSignatureAsync(RotatedToken, Ct));
        await h.Sms.SendAsync();

        Assert.Equal(
            [Basic(TwilioHarness.AccountSid, VaultToken), Basic(TwilioHarness.AccountSid, VaultToken), Basic(TwilioHarness.AccountSid, RotatedToken), Basic(TwilioHarness.AccountSid, third)],
            h.Twilio.Requests.Select(r => r.Headers["Authorization"]));
        Assert.Equal(3, h.Vault.Reads);
    }

    [Fact]
    public async Task AuthTokenKind_TwilioRejectsTheTokenWhileTheVaultIsDown_SendsStopAndAskTheVaultOncePerInterval_CallbacksKeepTheToken()
    {
        var rotatedAccepted = Basic(TwilioHarness.AccountSid, RotatedToken);
        await using var h = await KeyVaultTwilioHarness.StartAsync(
            (n, r) => n == 1 || r.Headers["Authorization"] == rotatedAccepted ? LoopbackReply.Created() : LoopbackReply.Error(401, 20003), Ct,
            new Dictionary<string, string?> { ["Sms:Twilio:AuthToken"] = null, ["Sms:Twilio:KeyVaultCredentialKind"] = "AuthToken" });
        h.Vault.SetSecret(SecretName, VaultToken);
        await h.Sms.SendAsync();
        h.Vault.Down = true;

        // The 401 asks the vault once; it fails, so the token is withheld from sends, which then post nothing and wait.
        await Assert.ThrowsAsync<SmsProviderException>(() => h.Sms.SendAsync());
        var askedAfterRejection = h.Vault.Requested.Count;
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Assert.ThrowsAsync<SmsProviderException>(() => h.Sms.SendAsync())));
        var askedAfterFlood = h.Vault.Requested.Count;

        // The status webhook still checks signatures with the token it had (no 503).
        Assert.Equal(VaultToken, await h.Sms.AuthTokens.GetAsync(Ct));

        h.Clock.Advance(TwilioVaultSecrets.RetryInterval);
        await Assert.ThrowsAsync<SmsProviderException>(() => h.Sms.SendAsync());
        var askedAfterInterval = h.Vault.Requested.Count;

        h.Vault.SetSecret(SecretName, RotatedToken);
        h.Vault.Down = false;
        h.Clock.Advance(TwilioVaultSecrets.RetryInterval);
        var sent = await h.Sms.SendAsync();

        Assert.True(askedAfterRejection >= 1);
        Assert.Equal(askedAfterRejection, askedAfterFlood);
        Assert.True(askedAfterInterval > askedAfterFlood, "After the interval a send asks the vault again.");
        Assert.Equal(MessageStatus.Queued, sent.Status);
        Assert.Equal(RotatedToken, await h.Sms.AuthTokens.GetAsync(Ct));
        Assert.Equal(
            [Basic(TwilioHarness.AccountSid, VaultToken), Basic(TwilioHarness.AccountSid, VaultToken), rotatedAccepted],
            h.Twilio.Requests.Select(r => r.Headers["Authorization"]));
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
