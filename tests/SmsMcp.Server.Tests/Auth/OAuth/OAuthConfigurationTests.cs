using System.Net;
using Microsoft.Extensions.Configuration;
using SmsMcp.Http.Auth;
using SmsMcp.Http.Auth.OAuth;
using SmsMcp.Server.Tests.Infrastructure;

namespace SmsMcp.Server.Tests.Auth.OAuth;

/// <summary>
/// Fail closed on any OAuth or grant misconfiguration: each broken setting stops the start with an error that names the
/// key and never repeats the value; a valid configuration passes; OAuth off ignores the section.
/// </summary>
public sealed class OAuthConfigurationTests
{
    private const string Issuer = "https://login.example.com/tenant";
    private const string Marker = "SECRETVALUE";

    private static Dictionary<string, string?> Valid() => new()
    {
        ["Auth:OAuth:Enabled"] = "true",
        ["Auth:OAuth:Resource"] = "https://smsmcp.example.com/mcp",
        ["Auth:OAuth:Issuers:0:Issuer"] = Issuer,
        ["Auth:OAuth:EntraTenantIds:0"] = "0f0e0d0c-0b0a-4908-8706-050403020100",
        ["Auth:OAuth:Principals:0:Issuer"] = Issuer,
        ["Auth:OAuth:Principals:0:Subject"] = "11111111-1111-4111-8111-111111111111",
        ["Auth:OAuth:Principals:0:CallerId"] = "ops",
        ["Auth:OAuth:Principals:1:Issuer"] = "https://login.microsoftonline.com/0f0e0d0c-0b0a-4908-8706-050403020100/v2.0",
        ["Auth:OAuth:Principals:1:Subject"] = "11111111-1111-4111-8111-111111111111",
        ["Auth:OAuth:Principals:1:CallerId"] = "ops",
    };

    /// <summary>One broken setting each (the value carries a marker that must never be echoed), and the key the error must name.</summary>
    public static TheoryData<string, string?, string> Broken() => new()
    {
        { "Auth:OAuth:Resource", $"ftp://{Marker}.example.com/mcp", "Auth:OAuth:Resource" },
        { "Auth:OAuth:Resource", $"https://{Marker}.example.com/other", "Auth:OAuth:Resource" },
        { "Auth:OAuth:Resource", $"http://{Marker}.example.com/mcp", "Auth:OAuth:Resource" },
        { "Auth:OAuth:Resource", $"https://{Marker}.example.com/mcp?x=1", "Auth:OAuth:Resource" },
        { "Auth:OAuth:Resource", "", "Auth:OAuth:Resource" },
        { "Auth:OAuth:Issuers:0:Issuer", $"http://{Marker}.example.com", "Auth:OAuth:Issuers:0:Issuer" },
        { "Auth:OAuth:Issuers:0:MetadataAddress", $"http://{Marker}.example.com/.well-known/openid-configuration", "Auth:OAuth:Issuers:0:MetadataAddress" },
        { "Auth:OAuth:EntraTenantIds:0", Marker, "Auth:OAuth:EntraTenantIds:0" },
        { "Auth:OAuth:EntraInstance", $"http://{Marker}.example.com/", "Auth:OAuth:EntraInstance" },
        { "Auth:OAuth:Algorithms:0", "HS256", "Auth:OAuth:Algorithms:0" },
        { "Auth:OAuth:Algorithms:0", "none", "Auth:OAuth:Algorithms:0" },
        { "Auth:OAuth:CallerClaim", $"{Marker} \"", "Auth:OAuth:CallerClaim" },
        { "Auth:OAuth:ReadScope", $"{Marker}\" x", "Auth:OAuth:ReadScope" },
        { "Auth:OAuth:SendScope", "SmsMcp.Read", "Auth:OAuth:ReadScope and Auth:OAuth:SendScope must differ" },
        { "Auth:OAuth:Audiences:0", " ", "Auth:OAuth:Audiences:0" },
        { "Auth:OAuth:Principals:0:Issuer", $"https://{Marker}.example.com", "Auth:OAuth:Principals:0:Issuer" },
        { "Auth:OAuth:Principals:0:Subject", "", "Auth:OAuth:Principals:0:Subject" },
        { "Auth:OAuth:Principals:0:CallerId", $"{Marker} !", "Auth:OAuth:Principals:0:CallerId" },
        { "Auth:OAuth:Principals:1:Issuer", Issuer, "Auth:OAuth:Principals" },
    };

    [Fact]
    public void ValidConfiguration_Passes()
    {
        Assert.True(Validate(Valid()).Succeeded);
    }

    [Fact]
    public void Disabled_IgnoresEverythingElse()
    {
        Assert.True(Validate(new Dictionary<string, string?> { ["Auth:OAuth:Enabled"] = "false", ["Auth:OAuth:Resource"] = "nonsense" }).Succeeded);
    }

    [Theory]
    [MemberData(nameof(Broken))]
    public void BrokenSetting_IsRefused_NamingTheKeyNotTheValue(string key, string? value, string named)
    {
        var settings = Valid();
        settings[key] = value;

        var result = Validate(settings);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures, f => f.StartsWith(named, StringComparison.Ordinal));
        Assert.DoesNotContain(Marker, result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Auth:OAuth:Issuers:0:Issuer")]
    [InlineData("Auth:OAuth:Principals:0:Subject")]
    public void MissingIssuersOrPrincipals_AreRefused(string removed)
    {
        var settings = Valid();
        settings.Remove(removed);
        if (removed.Contains("Issuers", StringComparison.Ordinal))
        {
            settings.Remove("Auth:OAuth:EntraTenantIds:0");
            settings.Remove("Auth:OAuth:Principals:1:Issuer");
        }
        else
        {
            foreach (var key in settings.Keys.Where(k => k.StartsWith("Auth:OAuth:Principals", StringComparison.Ordinal)).ToList())
            {
                settings.Remove(key);
            }
        }

        Assert.True(Validate(settings).Failed);
    }

    [Theory]
    [InlineData("Send", true)]
    [InlineData("read", true)]
    [InlineData("Admin", false)]
    [InlineData("None", false)]
    [InlineData("", false)]
    public void ApiKeyCallerAccess_MustBeSendOrRead(string access, bool valid)
    {
        var hash = ApiKeyHash.Create("any-key-0123456789abcdefghijklmn");
        var options = new AuthOptions { Callers = [new ApiKeyCallerOptions { Id = "ops", KeySalt = hash.SaltBase64, KeyHash = hash.HashBase64, Access = access }] };

        var result = new AuthOptionsValidator().Validate(null, options);

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains("Auth:Callers:0:Access must be Send or Read.", result.Failures!);
        }
    }

    [Fact]
    public void BrokenOAuthSetting_StopsTheServerFromStarting()
    {
        using var factory = new BrokenFactory();

        var failure = factory.StartFailure();

        Assert.Contains("Auth:OAuth:Resource", failure, StringComparison.Ordinal);
        Assert.DoesNotContain(Marker, failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OAuthOff_MetadataIs404_AndTheChallengeHasNoPointer()
    {
        using var factory = new SmsMcpFactory();
        var client = factory.CreateClient();

        using var metadata = await client.GetAsync("/.well-known/oauth-protected-resource/mcp");
        using var refused = await client.SendAsync(McpJsonRpc.Post(McpJsonRpc.Request("tools/list"), apiKey: null));

        Assert.Equal(HttpStatusCode.NotFound, metadata.StatusCode);
        Assert.Equal("realm=\"smsmcp\"", Assert.Single(refused.Headers.WwwAuthenticate).Parameter);
    }

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(Dictionary<string, string?> settings)
    {
        var options = new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(OAuthOptions.SectionName).Get<OAuthOptions>() ?? new OAuthOptions();
        return new OAuthOptionsValidator().Validate(null, options);
    }

    private sealed class BrokenFactory : SmsMcpFactory
    {
        protected override IEnumerable<KeyValuePair<string, string>> Settings =>
            Valid().Select(s => new KeyValuePair<string, string>(s.Key, s.Key == "Auth:OAuth:Resource" ? $"ftp://{Marker}.example.com/mcp" : s.Value!));
    }
}
