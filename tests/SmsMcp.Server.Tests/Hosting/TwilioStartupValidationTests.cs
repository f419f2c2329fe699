using SmsMcp.Server.Tests.Infrastructure;

namespace SmsMcp.Server.Tests.Hosting;

/// <summary>With <c>Sms:Provider = Twilio</c>, missing or malformed Twilio settings stop the start and are named — never their values.</summary>
public sealed class TwilioStartupValidationTests
{
    private const string Secret = "s3cr3t-api-key-secret-value";

    // Production, as in StartupValidationTests: nothing falls back to local defaults, and no development-only
    // services start beside the failing validation.
    private sealed class TwilioFactory(params (string Key, string? Value)[] settings) : SmsMcpFactory
    {
        protected override string EnvironmentName => "Production";

        protected override IEnumerable<KeyValuePair<string, string>> Settings =>
            settings.Where(s => s.Value is not null)
                .Select(s => new KeyValuePair<string, string>(s.Key, s.Value == "<db>" ? Path.Combine(DataDirectory, "p.db") : s.Value!));
    }

    private static (string, string?)[] Complete() =>
    [
        ("Storage:Provider", "Sqlite"),
        ("Storage:SqlitePath", "<db>"),
        ("Audit:PseudonymizationKey", Convert.ToBase64String(new byte[32])),
        ("Policy:Path", Path.Combine(RepositoryPaths.Root, "policy", "example.production.json")),
        ("Sms:Provider", "Twilio"),
        ("Sms:Twilio:AccountSid", "AC0123456789abcdef0123456789abcdef"),
        ("Sms:Twilio:ApiKeySid", "SK0123456789abcdef0123456789abcdef"),
        ("Sms:Twilio:ApiKeySecret", Secret),
        ("Sms:Twilio:From", "+12025550100"),
    ];

    [Fact]
    public async Task CompleteTwilioSettings_Start()
    {
        using var factory = new TwilioFactory(Complete());
        using var response = await factory.CreateClient().SendAsync(McpJsonRpc.Post(McpJsonRpc.Request("ping"), SmsMcpFactory.ApiKey));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("Sms:Twilio:AccountSid", null, "Sms:Twilio:AccountSid")]
    [InlineData("Sms:Twilio:ApiKeySecret", null, "Sms:Twilio:ApiKeySecret")]
    [InlineData("Sms:Twilio:From", null, "Sms:Twilio:From")]
    [InlineData("Sms:Twilio:ApiBaseUrl", "http://api.twilio.com", "Sms:Twilio:ApiBaseUrl")]
    [InlineData("Sms:Provider", "Carrier", "Sms:Provider")]
    public void MissingOrBadTwilioSetting_RefusesToStartNamingIt(string key, string? value, string named)
    {
        using var factory = new TwilioFactory([.. Complete().Where(s => s.Item1 != key), (key, value)]);

        var failure = factory.StartFailure();

        Assert.True(failure.Contains(named, StringComparison.Ordinal), failure);
        Assert.DoesNotContain(Secret, failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyVaultInsteadOfConfiguredApiKey_Starts()
    {
        using var factory = new TwilioFactory([.. Complete().Where(s => !s.Item1.StartsWith("Sms:Twilio:ApiKey", StringComparison.Ordinal)),
            ("Sms:Twilio:KeyVaultUri", "https://contoso.vault.azure.net/")]);
        using var response = await factory.CreateClient().SendAsync(McpJsonRpc.Post(McpJsonRpc.Request("ping"), SmsMcpFactory.ApiKey));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public void UnresolvedAppServiceKeyVaultReference_RefusesToStartNamingTheKeyNeverTheValue()
    {
        const string reference = "@Microsoft.KeyVault(SecretUri=https://contoso.vault.azure.net/secrets/twilio-api-key-secret/)";
        using var factory = new TwilioFactory([.. Complete().Where(s => s.Item1 != "Sms:Twilio:ApiKeySecret"), ("Sms:Twilio:ApiKeySecret", reference)]);

        var failure = factory.StartFailure();

        Assert.True(failure.Contains("Key Vault reference in Sms:Twilio:ApiKeySecret", StringComparison.Ordinal), failure);
        Assert.DoesNotContain("contoso", failure, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void BadWebhookPublicBaseUrl_RefusesToStartNamingIt()
    {
        using var factory = new TwilioFactory([.. Complete(), ("Webhooks:PublicBaseUrl", "http://smsmcp.example.com")]);
        Assert.Contains("Webhooks:PublicBaseUrl", factory.StartFailure(), StringComparison.Ordinal);
    }
}
