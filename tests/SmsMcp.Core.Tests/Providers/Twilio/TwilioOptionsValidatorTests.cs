using SmsMcp.Infrastructure.Twilio;

namespace SmsMcp.Core.Tests.Providers.Twilio;

public sealed class TwilioOptionsValidatorTests
{
    private const string Secret = "very-secret-value-123";

    private static TwilioOptions Valid() => new()
    {
        AccountSid = "AC0123456789abcdef0123456789abcdef",
        ApiKeySid = "SK0123456789abcdef0123456789abcdef",
        ApiKeySecret = Secret,
        From = "+12025550100",
    };

    [Fact]
    public void CompleteApiKeySettings_Valid() =>
        Assert.True(new TwilioOptionsValidator().Validate(null, Valid()).Succeeded);

    [Fact]
    public void AuthTokenInsteadOfApiKey_Valid()
    {
        var o = Valid();
        o.ApiKeySid = null;
        o.ApiKeySecret = null;
        o.AuthToken = Secret;
        Assert.True(new TwilioOptionsValidator().Validate(null, o).Succeeded);
    }

    [Fact]
    public void KeyVaultInsteadOfConfiguredCredential_Valid()
    {
        var o = Valid();
        (o.ApiKeySid, o.ApiKeySecret, o.KeyVaultUri) = (null, null, "https://contoso.vault.azure.net/");
        Assert.True(new TwilioOptionsValidator().Validate(null, o).Succeeded);
    }

    [Theory]
    [InlineData("?MID=x")]
    [InlineData("?a=1&Mid=x")]
    [InlineData("?m%69d=x")]
    [InlineData("?%4D%49%44")]
    public void CallbackUrlWithMessageIdParameterInAnyCaseOrEncoding_Fails(string query)
    {
        var o = Valid();
        o.StatusCallbackUrl = "https://example.com/twilio/status" + query;

        var result = new TwilioOptionsValidator().Validate(null, o);

        Assert.True(result.Failed);
        Assert.Contains("Sms:Twilio:StatusCallbackUrl", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("?middle=1")]
    [InlineData("?xmid=1&a=mid")]
    public void CallbackUrlWithOtherParameters_Valid(string query)
    {
        var o = Valid();
        o.StatusCallbackUrl = "https://example.com/twilio/status" + query;
        Assert.True(new TwilioOptionsValidator().Validate(null, o).Succeeded);
    }

    public static TheoryData<string, Action<TwilioOptions>> Broken => new()
    {
        { "Sms:Twilio:AccountSid", o => o.AccountSid = null },
        { "Sms:Twilio:AccountSid", o => o.AccountSid = "AC123" },
        { "Sms:Twilio:ApiKeySecret", o => o.ApiKeySecret = null },
        { "Sms:Twilio:ApiKeySid", o => o.ApiKeySid = "XX0123456789abcdef0123456789abcdef" },
        { "Sms:Twilio:AuthToken", o => (o.ApiKeySid, o.ApiKeySecret) = (null, null) },
        { "Sms:Twilio:MessagingServiceSid", o => o.From = null },
        { "Sms:Twilio:MessagingServiceSid", o => o.MessagingServiceSid = "MG0123456789abcdef0123456789abcdef" },
        { "Sms:Twilio:From", o => o.From = "+1 202 555 0100" },
        { "Sms:Twilio:StatusCallbackUrl", o => o.StatusCallbackUrl = "http://example.com/twilio/status" },
        { "Sms:Twilio:StatusCallbackUrl", o => o.StatusCallbackUrl = "https://example.com/twilio/status?mid=msg_x" },
        { "Sms:Twilio:StatusCallbackUrl", o => o.StatusCallbackUrl = "https://example.com/twilio/status#part" },
        { "Sms:Twilio:ApiBaseUrl", o => o.ApiBaseUrl = "http://api.twilio.com" },
        { "Sms:Twilio:LookupBaseUrl", o => o.LookupBaseUrl = "not a url" },
        { "Sms:Twilio:RequestTimeout", o => o.RequestTimeout = TimeSpan.Zero },
        { "Sms:Twilio:ConnectTimeout", o => o.ConnectTimeout = TimeSpan.FromSeconds(30) },
        { "Sms:Twilio:MaxAttempts", o => o.MaxAttempts = 0 },
        { "Sms:Twilio:MaxRetryDelay", o => o.MaxRetryDelay = TimeSpan.FromMinutes(5) },
        { "Sms:Twilio:KeyVaultUri", o => (o.KeyVaultUri, o.ApiKeySid, o.ApiKeySecret) = ("http://contoso.vault.azure.net/", null, null) },
        { "Sms:Twilio:ApiKeySecret", o => o.KeyVaultUri = "https://contoso.vault.azure.net/" },
        { "Sms:Twilio:KeyVaultApiKeySecretSecretName", o => (o.KeyVaultUri, o.ApiKeySid, o.ApiKeySecret, o.KeyVaultApiKeySecretSecretName) = ("https://contoso.vault.azure.net/", null, null, "bad_name") },
        { "Sms:Twilio:KeyVaultCacheTtl", o => (o.KeyVaultUri, o.ApiKeySid, o.ApiKeySecret, o.KeyVaultCacheTtl) = ("https://contoso.vault.azure.net/", null, null, TimeSpan.Zero) },
        { "Sms:Twilio:ManagedIdentityClientId", o => (o.KeyVaultUri, o.ApiKeySid, o.ApiKeySecret, o.ManagedIdentityClientId) = ("https://contoso.vault.azure.net/", null, null, "not-a-guid") },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void BrokenSetting_FailsNamingTheSettingAndNeverItsSecret(string named, Action<TwilioOptions> breakIt)
    {
        var o = Valid();
        breakIt(o);

        var result = new TwilioOptionsValidator().Validate(null, o);

        Assert.True(result.Failed);
        Assert.Contains(named, result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, result.FailureMessage, StringComparison.Ordinal);
    }
}
