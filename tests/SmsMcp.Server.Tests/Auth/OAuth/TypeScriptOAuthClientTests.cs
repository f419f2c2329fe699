using System.Net;
using System.Text.Json;
using SmsMcp.Server.Tests.Infrastructure;

namespace SmsMcp.Server.Tests.Auth.OAuth;

/// <summary>
/// A real OAuth client does the discovery: the TypeScript SDK v2 client (tests/peers/ts-client-v2-oauth.mjs) with its
/// client-credentials provider is given only the MCP URL and its credentials. It must find the loopback authorization
/// server through this server's 401 and protected resource metadata, get a token there (for our resource, RFC 8707),
/// list the tools and send in sandbox mode; a client the provider grants only the read scope sees fewer tools and its
/// send is refused 403 insufficient_scope naming the send scope.
/// </summary>
public sealed class TypeScriptOAuthClientTests(TypeScriptOAuthClientTests.KestrelOAuthFactory factory) : IClassFixture<TypeScriptOAuthClientTests.KestrelOAuthFactory>
{
    /// <summary>The OAuth app on a real loopback port, since the client is another process.</summary>
    public sealed class KestrelOAuthFactory : OAuthFactory
    {
        private readonly int _port = LoopbackPort.Free();

        public string McpUrl => $"http://127.0.0.1:{_port}/mcp";

        protected override string ResourceUrl => McpUrl;

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            Provider.AddClient("sender-app", "sender-secret-0123456789", SenderObjectId, ReadScope, SendScope);
            Provider.AddClient("reader-app", "reader-secret-0123456789", ReaderObjectId, ReadScope);
            UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, _port));
            StartServer();
        }
    }

    [Fact]
    public async Task ClientCredentials_DiscoversTheServer_ListsEveryToolAndSends()
    {
        var before = factory.OutboxLines().Count;
        var issued = factory.Provider.TokensIssued;

        var output = await RunAsync("sender-app", "sender-secret-0123456789", $"{OAuthFactory.ReadScope} {OAuthFactory.SendScope}", "hello over oauth");

        Assert.Equal(["get_message_status", "get_usage", "list_recipients", "preview_sms", "send_sms"], Tools(output));
        Assert.Equal("delivered", output.GetProperty("sendResult").GetProperty("structuredContent").GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, output.GetProperty("sendRefused").ValueKind);
        Assert.Equal(before + 1, factory.OutboxLines().Count);
        Assert.Contains("hello over oauth", factory.OutboxLines()[^1], StringComparison.Ordinal);
        Assert.True(factory.Provider.TokensIssued > issued, "the client got its token from the loopback provider");
    }

    [Fact]
    public async Task WithoutTheSendScope_SeesFewerTools_SendIs403InsufficientScope()
    {
        var before = factory.OutboxLines().Count;

        var output = await RunAsync("reader-app", "reader-secret-0123456789", OAuthFactory.ReadScope, "must not be sent");

        Assert.Equal(["get_message_status", "get_usage", "list_recipients", "preview_sms"], Tools(output));
        Assert.Equal(JsonValueKind.Null, output.GetProperty("sendResult").ValueKind);
        var refused = output.GetProperty("sendRefused");
        Assert.Equal("InsufficientScopeError", refused.GetProperty("name").GetString());
        Assert.Equal(OAuthFactory.SendScope, refused.GetProperty("requiredScope").GetString());
        Assert.Equal($"http://127.0.0.1:{new Uri(factory.McpUrl).Port}/.well-known/oauth-protected-resource/mcp", refused.GetProperty("resourceMetadataUrl").GetString());
        Assert.Equal(before, factory.OutboxLines().Count);
    }

    [Fact]
    public async Task StepUpThatTheProviderWillNotGrant_StillNoSend()
    {
        var before = factory.OutboxLines().Count;

        var output = await RunAsync("reader-app", "reader-secret-0123456789", OAuthFactory.ReadScope, "must not be sent either", stepUp: "reauthorize");

        Assert.Equal(JsonValueKind.Null, output.GetProperty("sendResult").ValueKind);
        Assert.Contains("403", output.GetProperty("sendRefused").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, factory.OutboxLines().Count);
    }

    [Fact]
    public async Task WrongClientSecret_GetsNoTokenAndNoTools()
    {
        var run = await ProcessRunner.RunAsync(Peers.Node, [Peers.File("ts-client-v2-oauth.mjs")], Environment("sender-app", "wrong-secret", OAuthFactory.SendScope, "never"));

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.StandardOutput);
    }

    private static string[] Tools(JsonElement output) =>
        [.. output.GetProperty("tools").EnumerateArray().Select(t => t.GetString()!).Order(StringComparer.Ordinal)];

    private async Task<JsonElement> RunAsync(string clientId, string secret, string scope, string body, string stepUp = "throw")
    {
        var run = await ProcessRunner.RunAsync(Peers.Node, [Peers.File("ts-client-v2-oauth.mjs")], Environment(clientId, secret, scope, body, stepUp));
        Assert.True(run.ExitCode == 0, run.ToString());
        return JsonDocument.Parse(run.StandardOutput).RootElement;
    }

    private Dictionary<string, string> Environment(string clientId, string secret, string scope, string body, string stepUp = "throw") => new()
    {
        ["MCP_URL"] = factory.McpUrl,
        ["OAUTH_CLIENT_ID"] = clientId,
        ["OAUTH_SECRET"] = secret,
        ["OAUTH_ISSUER"] = factory.Provider.Issuer,
        ["OAUTH_SCOPE"] = scope,
        ["MCP_STEP_UP"] = stepUp,
        ["MCP_BODY"] = body,
        ["NODE_EXTRA_CA_CERTS"] = factory.Provider.CertificatePemPath,
    };
}
