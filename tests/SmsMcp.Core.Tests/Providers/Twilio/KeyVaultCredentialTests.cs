using SmsMcp.Core.Messages;
using SmsMcp.Core.Providers;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Core.Vocabulary;
using SmsMcp.Infrastructure.Twilio;
using static SmsMcp.Core.Tests.Providers.Twilio.KeyVaultTwilioHarness;

namespace SmsMcp.Core.Tests.Providers.Twilio;

/// <summary>
/// Twilio credentials from Key Vault, end to end through the real SDK clients: read through the managed identity, cached
/// for the TTL, re-read once when Twilio rejects them after a rotation, and no send at all when the vault cannot answer.
/// Exact counts: <see cref="FakeKeyVault.Reads"/> counts secret reads (two per API key credential), <c>Posts</c> Twilio creates.
/// </summary>
[Collection(LoopbackNetworkCollection.Name)]
public sealed class KeyVaultCredentialTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task SecretsInKeyVault_ReadThroughManagedIdentity_SendAuthenticatesWithThem()
    {
        await using var h = await StartAsync(_ => LoopbackReply.Created(), Ct);

        var result = await h.Sms.SendAsync();

        Assert.Equal(MessageStatus.Queued, result.Status);
        Assert.Equal(Basic(OldKeySid, OldSecret), Assert.Single(h.Twilio.Requests).Headers["Authorization"]);
        Assert.Equal(2, h.Vault.Reads);
        Assert.True(h.Vault.Challenges >= 1, "The SDK first asks without a token and follows the bearer challenge.");
        Assert.Contains(h.Identity.Requests, r => r is { Resource: FakeKeyVault.Resource, ApiVersion: "2019-08-01", HeaderMatched: true });
        Assert.DoesNotContain(h.Identity.Requests, r => !r.HeaderMatched);
    }

    [Fact]
    public async Task SecondSendWithinTtl_NoKeyVaultCall_ReadAgainOnlyAfterTtl()
    {
        await using var h = await StartAsync(_ => LoopbackReply.Created(), Ct);

        await h.Sms.SendAsync();
        h.Clock.Advance(Ttl - TimeSpan.FromSeconds(1));
        await h.Sms.SendAsync();
        var readsWithinTtl = h.Vault.Reads;
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        await h.Sms.SendAsync();

        Assert.Equal(2, readsWithinTtl);
        Assert.Equal(4, h.Vault.Reads);
        Assert.Equal(3, h.Twilio.Posts);
    }

    [Fact]
    public async Task ConcurrentSendsOnAColdCache_OneKeyVaultRead()
    {
        await using var h = await StartAsync(_ => LoopbackReply.Created(), Ct);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => h.Sms.SendAsync()));

        Assert.All(results, r => Assert.Equal(MessageStatus.Queued, r.Status));
        Assert.Equal(8, h.Twilio.Posts);
        Assert.Equal(2, h.Vault.Reads);
    }

    [Fact]
    public async Task RotatedInKeyVault_TwilioRejectsOldCredential_OneReReadThenSentWithNew()
    {
        await using var h = await StartAsync(n => n == 2 ? LoopbackReply.Error(401, 20003) : LoopbackReply.Created(), Ct);
        await h.Sms.SendAsync();
        h.Rotate();

        var result = await h.Sms.SendAsync();
        var third = await h.Sms.SendAsync();

        Assert.Equal((MessageStatus.Queued, MessageStatus.Queued), (result.Status, third.Status));
        Assert.Equal(
            [Basic(OldKeySid, OldSecret), Basic(OldKeySid, OldSecret), Basic(NewKeySid, NewSecret), Basic(NewKeySid, NewSecret)],
            h.Twilio.Requests.Select(r => r.Headers["Authorization"]));
        Assert.Equal(4, h.Vault.Reads);
    }

    [Fact]
    public async Task TwilioRejectsAndKeyVaultStillHoldsTheSameCredential_NoSecondPost_RefusedAsCredentials()
    {
        await using var h = await StartAsync(_ => LoopbackReply.Error(401, 20003), Ct);

        var e = await Assert.ThrowsAsync<SmsProviderException>(() => h.Sms.SendAsync());

        Assert.Equal(ReasonCodes.ProviderCredentials, e.ReasonCode);
        Assert.Equal(1, h.Twilio.Posts);
        Assert.Equal(4, h.Vault.Reads);
    }

    [Fact]
    public async Task RotatedCredentialAlsoRejected_RetriedOnlyOnce_RefusedAsCredentials()
    {
        await using var h = await StartAsync(n => n == 1 ? LoopbackReply.Created() : LoopbackReply.Error(401, 20003), Ct);
        await h.Sms.SendAsync();
        h.Rotate();

        var e = await Assert.ThrowsAsync<SmsProviderException>(() => h.Sms.SendAsync());

        Assert.Equal(ReasonCodes.ProviderCredentials, e.ReasonCode);
        Assert.Equal(
            [Basic(OldKeySid, OldSecret), Basic(OldKeySid, OldSecret), Basic(NewKeySid, NewSecret)],
            h.Twilio.Requests.Select(r => r.Headers["Authorization"]));
        Assert.Equal(4, h.Vault.Reads);
    }

    [Fact]
    public async Task TwilioKeepsRejectingTheCredentialTheVaultHolds_FloodOfSends_OneReReadPerInterval_RotationPickedUpAfterIt()
    {
        var accepted = Basic(NewKeySid, NewSecret);
        await using var h = await StartAsync((_, r) => r.Headers["Authorization"] == accepted ? LoopbackReply.Created() : LoopbackReply.Error(401, 20003), Ct);

        var first = await Assert.ThrowsAsync<SmsProviderException>(() => h.Sms.SendAsync());
        var readsAfterFirst = h.Vault.Reads;
        var flood = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Assert.ThrowsAsync<SmsProviderException>(() => h.Sms.SendAsync())));
        var readsAfterFlood = h.Vault.Reads;
        h.Rotate();
        h.Clock.Advance(TwilioVaultSecrets.RetryInterval - TimeSpan.FromSeconds(1));
        var withinInterval = await Assert.ThrowsAsync<SmsProviderException>(() => h.Sms.SendAsync());
        var readsWithinInterval = h.Vault.Reads;
        h.Clock.Advance(TimeSpan.FromSeconds(1));
        var afterInterval = await h.Sms.SendAsync();

        Assert.All(flood.Append(first).Append(withinInterval), e => Assert.Equal(ReasonCodes.ProviderCredentials, e.ReasonCode));
        Assert.Equal(MessageStatus.Queued, afterInterval.Status);
        Assert.Equal((4, 4, 4, 6), (readsAfterFirst, readsAfterFlood, readsWithinInterval, h.Vault.Reads));

        // One post per send with the cached credential, and one repeat in all: the send after the interval, with the new one.
        Assert.Equal(23 + 1, h.Twilio.Posts);
        Assert.Single(h.Twilio.Requests, r => r.Headers["Authorization"] == accepted);
    }

    [Fact]
    public async Task KeyVaultDown_ColdCache_NothingSentAndNoFallbackToConfiguration()
    {
        await using var h = await StartAsync(_ => LoopbackReply.Created(), Ct);
        h.Vault.Down = true;

        var e = await Assert.ThrowsAsync<SmsProviderException>(() => h.Sms.SendAsync());

        Assert.Equal(ReasonCodes.ProviderCredentials, e.ReasonCode);
        Assert.Empty(h.Twilio.Requests);
        Assert.NotEmpty(h.Vault.Requested);
    }

    [Fact]
    public async Task SecretMissing_ColdCache_NothingSent()
    {
        await using var h = await StartAsync(_ => LoopbackReply.Created(), Ct);
        h.Vault.SetSecret(SidSecretName, "not-an-api-key-sid");

        var e = await Assert.ThrowsAsync<SmsProviderException>(() => h.Sms.SendAsync());

        Assert.Equal(ReasonCodes.ProviderCredentials, e.ReasonCode);
        Assert.Contains(SidSecretName, e.Message, StringComparison.Ordinal);
        Assert.Empty(h.Twilio.Requests);
    }

    [Fact]
    public async Task KeyVaultDown_WarmCachePastTtl_CachedUsedWithinGrace_RefusedAfterIt()
    {
        await using var h = await StartAsync(_ => LoopbackReply.Created(), Ct);
        await h.Sms.SendAsync();
        h.Vault.Down = true;

        h.Clock.Advance(Ttl + TimeSpan.FromMinutes(30));
        var withinGrace = await h.Sms.SendAsync();
        var vaultRequestsAfterFirstStaleUse = h.Vault.Requested.Count;
        h.Clock.Advance(TwilioVaultSecrets.RetryInterval - TimeSpan.FromSeconds(1));
        var withoutAskingTheVault = await h.Sms.SendAsync();
        var vaultRequestsWithinRetryInterval = h.Vault.Requested.Count - vaultRequestsAfterFirstStaleUse;
        h.Clock.Advance(TimeSpan.FromMinutes(31));
        var e = await Assert.ThrowsAsync<SmsProviderException>(() => h.Sms.SendAsync());

        Assert.Equal((MessageStatus.Queued, MessageStatus.Queued), (withinGrace.Status, withoutAskingTheVault.Status));
        Assert.Equal(0, vaultRequestsWithinRetryInterval);
        Assert.Equal(ReasonCodes.ProviderCredentials, e.ReasonCode);
        Assert.Equal(3, h.Twilio.Posts);
        Assert.Contains(h.Sms.Logs.Lines, l => l.Contains("stale grace", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TwilioRejectsCachedCredentialWhileKeyVaultDown_Refused_LaterSendsPostNothing()
    {
        await using var h = await StartAsync(n => n == 1 ? LoopbackReply.Created() : LoopbackReply.Error(401, 20003), Ct);
        await h.Sms.SendAsync();
        h.Vault.Down = true;

        var rejected = await Assert.ThrowsAsync<SmsProviderException>(() => h.Sms.SendAsync());
        var later = await Assert.ThrowsAsync<SmsProviderException>(() => h.Sms.SendAsync());

        Assert.Equal((ReasonCodes.ProviderCredentials, ReasonCodes.ProviderCredentials), (rejected.ReasonCode, later.ReasonCode));
        Assert.Equal(2, h.Twilio.Posts);
    }

    [Fact]
    public async Task KeyVaultPath_LogsAndExceptionsCarryNoSecret()
    {
        var texts = new List<string>();
        await using (var h = await StartAsync(n => n == 2 ? LoopbackReply.Error(401, 20003) : LoopbackReply.Created(), Ct))
        {
            await h.Sms.SendAsync();
            h.Rotate();
            await h.Sms.SendAsync();
            h.Vault.Down = true;
            h.Clock.Advance(TimeSpan.FromHours(2));
            texts.Add((await Assert.ThrowsAsync<SmsProviderException>(() => h.Sms.SendAsync())).ToString());
            texts.AddRange(h.Sms.Logs.Lines);
        }

        await using (var h = await StartAsync(_ => LoopbackReply.Error(401, 20003), Ct))
        {
            texts.Add((await Assert.ThrowsAsync<SmsProviderException>(() => h.Sms.SendAsync())).ToString());
            texts.AddRange(h.Sms.Logs.Lines);
        }

        Assert.Contains(texts, t => t.Contains("Key Vault", StringComparison.Ordinal));
        string[] forbidden = [OldSecret, NewSecret, ConfiguredAuthToken, Basic(OldKeySid, OldSecret)["Basic ".Length..], Basic(NewKeySid, NewSecret)["Basic ".Length..]];
        foreach (var text in texts)
        {
            foreach (var secret in forbidden)
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"Leaked '{secret}' in: {text}");
            }
        }
    }
}
