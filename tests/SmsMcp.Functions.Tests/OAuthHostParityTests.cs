using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SmsMcp.Functions.Tests.Infrastructure;
using SmsMcp.Server.Tests.Infrastructure;

namespace SmsMcp.Functions.Tests;

/// <summary>
/// OAuth behaves identically in both hosts: the same token gets the same answer from the standalone server and from the
/// HTTP function (status, WWW-Authenticate, body) — accepted tokens and their tool lists, every refused token's 401 with
/// the metadata pointer, the 403 step-up, and the protected resource metadata documents — with the real JwtBearer handler
/// against one loopback OpenID provider. The Functions path runs no app middleware, so this fails if authentication
/// ever moves out of the endpoint.
/// </summary>
public sealed class OAuthHostParityTests(OAuthHostParityTests.Hosts hosts) : IClassFixture<OAuthHostParityTests.Hosts>
{
    private const string Resource = "http://localhost/mcp";

    public sealed class Hosts : IAsyncLifetime
    {
        public LoopbackOpenIdProvider Provider { get; private set; } = null!;

        public StandaloneServer Standalone { get; private set; } = null!;

        public Worker Worker { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Provider = await LoopbackOpenIdProvider.StartAsync();
            var settings = OAuthTestSettings.For(Provider.Issuer, Resource);
            void Trust(IServiceCollection services) =>
                services.ConfigureAll<JwtBearerOptions>(o => o.BackchannelHttpHandler = Provider.BackchannelHandler());
            Standalone = new StandaloneServer(settings, Trust);
            Worker = await Worker.StartWithAsync(Trust, [.. settings]);
        }

        public async Task DisposeAsync()
        {
            await Worker.DisposeAsync();
            await Standalone.DisposeAsync();
            await Provider.DisposeAsync();
        }
    }

    public static TheoryData<string> Cases() => [.. Names];

    private static readonly string[] Names =
    [
        "send scope: tools/list (200)", "read scope: tools/list (200)", "read scope: send_sms (403)", "no scope: preview_sms (403)",
        "read-only API key: send_sms (403)", "no credentials (401)", "wrong audience (401)", "expired (401)", "alg none (401)",
        "unknown kid (401)", "HS256 with the public key (401)", "unmapped principal (401)",
        "metadata for /mcp (200)", "metadata for the origin (200)", "metadata for another path (404)",
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task SameRequest_SameAnswerFromBothHosts(string name)
    {
        var request = Request(name);

        var standalone = await hosts.Standalone.SendAsync(request);
        var function = await hosts.Worker.SendAsync(request);

        var expected = int.Parse(System.Text.RegularExpressions.Regex.Match(name, @"\((\d{3})\)$").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected, standalone.Status);
        Assert.Equal(standalone.Status, function.Status);
        Assert.Equal(standalone.ContentType, function.ContentType);
        Assert.Equal(standalone.Headers.OrderBy(h => h.Key), function.Headers.OrderBy(h => h.Key));
        Assert.Equal(standalone.NormalizedBody, function.NormalizedBody);
        if (expected is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden)
        {
            Assert.Contains("resource_metadata=\"http://localhost/.well-known/oauth-protected-resource/mcp\"", function.Headers["WWW-Authenticate"], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ReadScopeThroughTheFunction_ListsOnlyTheReadTools()
    {
        var response = await hosts.Worker.SendAsync(Request("read scope: tools/list (200)"));

        var tools = JsonNode.Parse(response.NormalizedBody)!["result"]!["tools"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal);
        Assert.Equal(["get_message_status", "get_usage", "list_recipients", "preview_sms"], tools);
    }

    private TestRequest Request(string name)
    {
        var provider = hosts.Provider;
        var now = DateTimeOffset.UtcNow;
        string[] send = [OAuthTestSettings.SendScope];
        string Token(string objectId, params string[] scopes) => provider.CreateToken(Resource, objectId, scopes);
        var list = TestRequest.JsonRpc("tools/list");
        var sendSms = TestRequest.JsonRpc("tools/call", """{"name":"send_sms","arguments":{"to":"demo","body":"parity"}}""");
        return name switch
        {
            "send scope: tools/list (200)" => TestRequest.McpPost(list, Token(OAuthTestSettings.SenderObjectId, send)),
            "read scope: tools/list (200)" => TestRequest.McpPost(list, Token(OAuthTestSettings.ReaderObjectId, OAuthTestSettings.ReadScope)),
            "read scope: send_sms (403)" => TestRequest.McpPost(sendSms, Token(OAuthTestSettings.ReaderObjectId, OAuthTestSettings.ReadScope)),
            "no scope: preview_sms (403)" => TestRequest.McpPost(
                TestRequest.JsonRpc("tools/call", """{"name":"preview_sms","arguments":{"to":"demo","body":"x"}}"""), Token(OAuthTestSettings.SenderObjectId)),
            "read-only API key: send_sms (403)" => TestRequest.McpPost(sendSms, OAuthTestSettings.ReaderKey),
            "no credentials (401)" => TestRequest.McpPost(sendSms, apiKey: null),
            "wrong audience (401)" => TestRequest.McpPost(sendSms, provider.CreateToken("https://elsewhere.example/mcp", OAuthTestSettings.SenderObjectId, send)),
            "expired (401)" => TestRequest.McpPost(sendSms, provider.CreateToken(Resource, OAuthTestSettings.SenderObjectId, send, notBefore: now.AddHours(-3), expires: now.AddHours(-2))),
            "alg none (401)" => TestRequest.McpPost(sendSms, provider.CreateToken(Resource, OAuthTestSettings.SenderObjectId, send, algorithm: "none")),
            "unknown kid (401)" => TestRequest.McpPost(sendSms, provider.CreateToken(Resource, OAuthTestSettings.SenderObjectId, send, keyId: "unknown")),
            "HS256 with the public key (401)" => TestRequest.McpPost(sendSms, provider.CreateToken(Resource, OAuthTestSettings.SenderObjectId, send, algorithm: "HS256")),
            "unmapped principal (401)" => TestRequest.McpPost(sendSms, provider.CreateToken(Resource, "44444444-4444-4444-8444-444444444444", send)),
            "metadata for /mcp (200)" => new("GET", "/.well-known/oauth-protected-resource/mcp"),
            "metadata for the origin (200)" => new("GET", "/.well-known/oauth-protected-resource"),
            "metadata for another path (404)" => new("GET", "/.well-known/oauth-protected-resource/admin"),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }
}
