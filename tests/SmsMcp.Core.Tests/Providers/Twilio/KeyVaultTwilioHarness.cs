using System.Security.Cryptography.X509Certificates;
using System.Text;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Core.Tests.Storage.AzureTables;
using SmsMcp.Infrastructure.Twilio;

namespace SmsMcp.Core.Tests.Providers.Twilio;

/// <summary>
/// The Twilio provider as production wires it with <c>Sms:Twilio:KeyVaultUri</c>: the real <see cref="SecretClient"/> (over
/// HTTPS to <see cref="FakeKeyVault"/>, trusting only this run's self-signed certificate) authenticated by the real
/// <c>ManagedIdentityCredential</c> that production builds, which takes its token from the loopback App Service
/// managed-identity fake. Twilio is the loopback fake; the clock is the test's.
/// </summary>
internal sealed class KeyVaultTwilioHarness : IAsyncDisposable
{
    public const string OldKeySid = "SK11111111111111111111111111111111";
    public const string OldSecret = "kv-old-secret-do-not-log-41c2d8";
    public const string NewKeySid = "SK22222222222222222222222222222222";
    public const string NewSecret = "kv-new-secret-do-not-log-93e7a1";
    public const string ConfiguredAuthToken = "configured-auth-token-for-callbacks-only";
    public const string SidSecretName = "twilio-api-key-sid";
    public const string SecretSecretName = "twilio-api-key-secret";

    private readonly SelfSignedCertificate _certificate;
    private readonly X509Certificate2 _serverCertificate;
    private readonly EnvironmentScope _environment;

    private KeyVaultTwilioHarness(
        SelfSignedCertificate certificate, X509Certificate2 serverCertificate, FakeManagedIdentityEndpoint identity, EnvironmentScope environment,
        FakeKeyVault vault, LoopbackHttpServer twilio, FakeTimeProvider clock, TwilioHarness sms)
    {
        _certificate = certificate;
        _serverCertificate = serverCertificate;
        Identity = identity;
        _environment = environment;
        Vault = vault;
        Twilio = twilio;
        Clock = clock;
        Sms = sms;
    }

    public FakeManagedIdentityEndpoint Identity { get; }

    public FakeKeyVault Vault { get; }

    public LoopbackHttpServer Twilio { get; }

    public FakeTimeProvider Clock { get; }

    public TwilioHarness Sms { get; }

    /// <summary>The Basic header Twilio sees for a key SID and secret.</summary>
    public static string Basic(string sid, string secret) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{sid}:{secret}"));

    /// <param name="settings">Settings to change or (with null) remove, applied over the harness's own.</param>
    public static Task<KeyVaultTwilioHarness> StartAsync(Func<int, LoopbackReply> twilioScript, CancellationToken cancellationToken, IDictionary<string, string?>? settings = null) =>
        StartAsync((n, _) => twilioScript(n), cancellationToken, settings);

    /// <param name="twilioScript">Twilio's answer by request number and request (e.g. by the credential it carries).</param>
    /// <param name="settings">Settings to change or (with null) remove, applied over the harness's own.</param>
    public static async Task<KeyVaultTwilioHarness> StartAsync(Func<int, LoopbackRequest, LoopbackReply> twilioScript, CancellationToken cancellationToken, IDictionary<string, string?>? settings = null)
    {
        var certificate = SelfSignedCertificate.Create();
        var serverCertificate = X509Certificate2.CreateFromPemFile(certificate.CertificatePemPath, certificate.KeyPemPath);
        var identity = FakeManagedIdentityEndpoint.Start();

        // The App Service source is chosen only when these two are set and no other managed-identity source is.
        var environment = new EnvironmentScope(
            ("IDENTITY_ENDPOINT", identity.Endpoint), ("IDENTITY_HEADER", identity.Secret),
            ("IMDS_ENDPOINT", null), ("IDENTITY_SERVER_THUMBPRINT", null), ("MSI_ENDPOINT", null), ("MSI_SECRET", null));
        var vault = await FakeKeyVault.StartAsync(serverCertificate, cancellationToken);
        vault.SetSecret(SidSecretName, OldKeySid);
        vault.SetSecret(SecretSecretName, OldSecret + "\n");
        var twilio = new LoopbackHttpServer(twilioScript);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 21, 6, 0, 0, TimeSpan.Zero));
        var overrides = new Dictionary<string, string?>
        {
            ["Sms:Twilio:ApiKeySid"] = null,
            ["Sms:Twilio:ApiKeySecret"] = null,
            ["Sms:Twilio:KeyVaultUri"] = vault.VaultUri.ToString(),

            // As in production, where it checks status-callback signatures: it must never become the send credential.
            ["Sms:Twilio:AuthToken"] = ConfiguredAuthToken,
            // MSAL caches managed-identity tokens process-wide, per identity: a fresh identity makes this harness's
            // credential really ask the endpoint rather than reuse an earlier test's token.
            ["Sms:Twilio:ManagedIdentityClientId"] = Guid.NewGuid().ToString(),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            overrides[key] = value;
        }

        var sms = new TwilioHarness(twilio.BaseUrl, overrides, services =>
        {
            services.AddSingleton<TimeProvider>(clock);

            // The vault's host is 127.0.0.1, not *.vault.azure.net, so the SDK's check of the challenge's resource is off
            // here (production keeps it on); the transport trusts this run's certificate and nothing else that fails validation.
            services.AddKeyedSingleton(KeyVaultTwilioCredentialSource.ClientOptionsKey, (_, _) =>
            {
                var options = KeyVaultTwilioCredentialSource.DefaultClientOptions();
                options.Transport = certificate.TrustingTransport();
                options.DisableChallengeResourceVerification = true;
                return options;
            });
        });
        return new KeyVaultTwilioHarness(certificate, serverCertificate, identity, environment, vault, twilio, clock, sms);
    }

    /// <summary>Rotates the API key in the vault, as an operator would.</summary>
    public void Rotate()
    {
        Vault.SetSecret(SidSecretName, NewKeySid);
        Vault.SetSecret(SecretSecretName, NewSecret);
    }

    public async ValueTask DisposeAsync()
    {
        await Sms.DisposeAsync();
        await Twilio.DisposeAsync();
        await Vault.DisposeAsync();
        _environment.Dispose();
        await Identity.DisposeAsync();
        _serverCertificate.Dispose();
        _certificate.Dispose();
    }
}
