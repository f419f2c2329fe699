using SmsMcp.Server.Tests.Infrastructure;

namespace SmsMcp.Server.Tests.Hosting;

/// <summary>With <c>Sms:Provider = Twilio</c>, missing or malformed Twilio settings stop the start and are named — never their values.</summary>
public sealed class TwilioStartupValidationTests
{
    private const string Secret = "s3cr3t-api-key-secret-value";

    private sealed class TwilioFactory(params (string Key, string? Value)[] settings) : SmsMcpFactory
    {
        protected override IEnumerable<KeyValuePair<string, string>> Settings =>
            settings.Where(s => s.Value is not null).Select(s => new KeyValuePair<string, string>(s.Key, s.Value!));
    }

    private static (string, string?)[] Complete() =>
    [
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
        using var response = await factory.CreateClient().SendAsync(McpHttp.Post(McpHttp.Request("ping")));
        Assert.NotNull(response);
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

        var failure = Record.Exception(() => factory.CreateClient());

        Assert.NotNull(failure);
        Assert.Contains(named, failure.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void BadWebhookPublicBaseUrl_RefusesToStartNamingIt()
    {
        using var factory = new TwilioFactory([.. Complete(), ("Webhooks:PublicBaseUrl", "http://smsmcp.example.com")]);
        var failure = Record.Exception(() => factory.CreateClient());
        Assert.Contains("Webhooks:PublicBaseUrl", failure?.ToString(), StringComparison.Ordinal);
    }
}
