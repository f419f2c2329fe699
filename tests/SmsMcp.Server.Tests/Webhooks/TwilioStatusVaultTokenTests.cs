using System.Net;
using System.Security.Cryptography.X509Certificates;
using Azure.Security.KeyVault.Secrets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Content;
using SmsMcp.Core.Messages;
using SmsMcp.Core.Phone;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Core.Tests.Storage.AzureTables;
using SmsMcp.Http.Webhooks;
using SmsMcp.Infrastructure.Twilio;
using SmsMcp.Server.Tests.Infrastructure;

namespace SmsMcp.Server.Tests.Webhooks;

/// <summary>
/// POST /twilio/status with the auth token in Key Vault, read by the real <see cref="SecretClient"/> over HTTPS from
/// <see cref="FakeKeyVault"/>: after the token is rotated in the vault, the next callback signed with the new token is
/// accepted (one re-read), and a flood of bad signatures reads the vault at most once per 30 s.
/// </summary>
public sealed class TwilioStatusVaultTokenTests(TwilioStatusVaultTokenTests.Factory factory) : IClassFixture<TwilioStatusVaultTokenTests.Factory>
{
    private const string PublicUrl = "https://smsmcp.example.com/twilio/status";
    private const string SecretName = "twilio-auth-token";
    private const string Number = "+12025550123";

    public sealed class Factory : SmsMcpFactory, IAsyncLifetime
    {
        private readonly SelfSignedCertificate _certificate = SelfSignedCertificate.Create();
        private X509Certificate2? _serverCertificate;

        public FakeKeyVault Vault { get; private set; } = null!;

        public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

        protected override IEnumerable<KeyValuePair<string, string>> Settings =>
        [
            new("Sms:Provider", "Twilio"),
            new("Sms:Twilio:AccountSid", "AC0123456789abcdef0123456789abcdef"),
            new("Sms:Twilio:KeyVaultUri", Vault.VaultUri.ToString()),
            new("Sms:Twilio:From", "+12025550100"),
            new("Sms:Twilio:StatusCallbackUrl", PublicUrl),
            new("Webhooks:PublicBaseUrl", "https://smsmcp.example.com"),
        ];

        public async Task InitializeAsync()
        {
            _serverCertificate = X509Certificate2.CreateFromPemFile(_certificate.CertificatePemPath, _certificate.KeyPemPath);
            Vault = await FakeKeyVault.StartAsync(_serverCertificate, CancellationToken.None);
        }

        async Task IAsyncLifetime.DisposeAsync()
        {
            await Vault.DisposeAsync();
            _serverCertificate?.Dispose();
            _certificate.Dispose();
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
            {
                // The production wiring, except that the vault is the loopback fake (trusted by pinned certificate, no
                // managed identity) and the token cache runs on the test's clock.
                services.AddSingleton(sp =>
                {
                    var options = KeyVaultTwilioCredentialSource.DefaultClientOptions();
                    options.Transport = _certificate.TrustingTransport();
                    options.DisableChallengeResourceVerification = true;
                    return new TwilioVaultSecrets(new SecretClient(Vault.VaultUri, new VaultAccessToken(), options),
                        sp.GetRequiredService<IOptions<TwilioOptions>>(), Clock, sp.GetRequiredService<ILogger<TwilioVaultSecrets>>());
                });
            });
        }
    }

    private static string Sid(int n) => "SM" + n.ToString("x32", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<string> QueuedMessageAsync(string sid)
    {
        var services = factory.Services;
        var now = DateTimeOffset.UtcNow;
        var record = new MessageRecord
        {
            MessageId = MessageStore.NewMessageId(now), CallerId = "dev", RecipientMasked = "+1 ********23",
            RecipientRef = services.GetRequiredService<Pseudonymizer>().Recipient(Number), Alias = "demo",
            Status = MessageStatus.Queued, Segments = 1, Encoding = SmsEncoding.Gsm7, Provider = "twilio", CreatedAt = now, UpdatedAt = now,
        };
        var messages = services.GetRequiredService<MessageStore>();
        await messages.InsertAsync(record, CancellationToken.None);
        await messages.SaveSendResultAsync(record with { ProviderMessageId = sid }, CancellationToken.None);
        return record.MessageId;
    }

    private static KeyValuePair<string, string>[] Form(string sid, string status) =>
        [new("MessageSid", sid), new("MessageStatus", status), new("AccountSid", "AC0123456789abcdef0123456789abcdef"), new("To", Number)];

    private async Task<HttpStatusCode> PostAsync(string messageId, KeyValuePair<string, string>[] form, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, TwilioStatusEndpoints.Path + "?mid=" + messageId) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioSignatureValidator.HeaderName, TwilioSigner.Sign(token, PublicUrl + "?mid=" + messageId, form));
        using var response = await factory.CreateClient().SendAsync(request);
        return response.StatusCode;
    }

    private async Task<MessageStatus> StatusAsync(string messageId) =>
        (await factory.Services.GetRequiredService<MessageStore>().GetAsync("dev", messageId, CancellationToken.None))!.Status;

    [Fact]
    public async Task TokenRotatedInTheVault_NextCallbackWithTheNewTokenAccepted_BadSignatureFloodReadsTheVaultAtMostOncePerInterval()
    {
        var vault = factory.Vault;
        vault.SetSecret(SecretName, "old-token-0123456789abcdef01234567");
        var id = await QueuedMessageAsync(Sid(1));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(id, Form(Sid(1), "sent"), "old-token-0123456789abcdef01234567"));
        var readsBefore = vault.Reads;

        // Rotated: the cache still holds the old token (TTL 10 min); the callback signed with the new one is accepted.
        vault.SetSecret(SecretName, "new-token-0123456789abcdef01234567");
        Assert.Equal(HttpStatusCode.OK, await PostAsync(id, Form(Sid(1), "delivered"), "new-token-0123456789abcdef01234567"));
        Assert.Equal(MessageStatus.Delivered, await StatusAsync(id));
        var readsAfterRotation = vault.Reads;

        // Forged callbacks: all 403, nothing changes, and the vault is read once for the whole flood, then once more only
        // after the interval.
        factory.Clock.Advance(TwilioVaultSecrets.RetryInterval);
        var other = await QueuedMessageAsync(Sid(2));
        var forged = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => PostAsync(other, Form(Sid(2), "failed"), "forged-token-" + i)));
        var readsAfterFlood = vault.Reads;
        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync(other, Form(Sid(2), "failed"), "forged-again"));
        var readsWithinInterval = vault.Reads;
        factory.Clock.Advance(TwilioVaultSecrets.RetryInterval);
        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync(other, Form(Sid(2), "failed"), "forged-later"));

        Assert.All(forged, s => Assert.Equal(HttpStatusCode.Forbidden, s));
        Assert.Equal(MessageStatus.Queued, await StatusAsync(other));
        Assert.Equal(
            (1, 1, 0, 1),
            (readsAfterRotation - readsBefore, readsAfterFlood - readsAfterRotation, readsWithinInterval - readsAfterFlood, vault.Reads - readsWithinInterval));
    }
}
