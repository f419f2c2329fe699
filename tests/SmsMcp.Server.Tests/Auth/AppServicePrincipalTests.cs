using System.Net;
using System.Text;
using System.Text.Json;
using SmsMcp.Server.Tests.Infrastructure;

namespace SmsMcp.Server.Tests.Auth;

/// <summary>X-MS-CLIENT-PRINCIPAL is honoured only when the app says it is fronted by built-in authentication.</summary>
public sealed class AppServicePrincipalTests
{
    private const string KnownObjectId = "6f1c2a4e-8c55-4d2b-9a1e-3b7d1f0e2c44";

    public static string Header(string objectId) => Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        auth_typ = "aad",
        claims = new[]
        {
            new { typ = "name", val = "Ops Agent" },
            new { typ = "http://schemas.microsoft.com/identity/claims/objectidentifier", val = objectId },
        },
        name_typ = "name",
        role_typ = "roles",
    })));

    private sealed class TrustingFactory : SmsMcpFactory
    {
        protected override IEnumerable<KeyValuePair<string, string>> Settings =>
        [
            new("Auth:TrustAppServiceAuthentication", "true"),
            new("Auth:Principals:0:ObjectId", KnownObjectId),
            new("Auth:Principals:0:CallerId", "entra-agent"),
        ];
    }

    private static async Task<HttpResponseMessage> SendWithPrincipalAsync(SmsMcpFactory factory, string? header, string? apiKey)
    {
        using var request = McpJsonRpc.Post(McpJsonRpc.CallTool("get_usage", new { }), apiKey: apiKey);
        if (header is not null)
        {
            request.Headers.Add("X-MS-CLIENT-PRINCIPAL", header);
        }

        return await factory.CreateClient().SendAsync(request);
    }

    [Fact]
    public async Task Untrusted_HeaderIsIgnored_WithoutKeyIs401()
    {
        using var factory = new SmsMcpFactory();
        using var response = await SendWithPrincipalAsync(factory, Header(KnownObjectId), apiKey: null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Untrusted_HeaderIsIgnored_KeyDecidesTheCaller()
    {
        using var factory = new SmsMcpFactory();
        using var response = await SendWithPrincipalAsync(factory, Header(KnownObjectId), SmsMcpFactory.ApiKey);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Trusted_KnownPrincipal_IsItsMappedCaller()
    {
        using var factory = new TrustingFactory();
        using var response = await SendWithPrincipalAsync(factory, Header(KnownObjectId), apiKey: null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // The message lands in the mapped caller's partition: the dev caller cannot see it.
        var sent = await McpJsonRpc.CallToolAsync(factory.CreateClient(), "send_sms", new { to = "demo", body = "as dev" }, SmsMcpFactory.ApiKey);
        Assert.False(McpJsonRpc.IsError(sent));
    }

    [Theory]
    [InlineData("00000000-0000-0000-0000-000000000001")]
    [InlineData(null)]
    public async Task Trusted_UnknownOrMalformedPrincipal_Is401(string? objectId)
    {
        using var factory = new TrustingFactory();
        var header = objectId is null ? "not-base64-json!" : Header(objectId);
        using var response = await SendWithPrincipalAsync(factory, header, SmsMcpFactory.ApiKey);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Trusted_CallersAreIsolated()
    {
        using var factory = new TrustingFactory();
        var asDev = await McpJsonRpc.CallToolAsync(factory.CreateClient(), "send_sms", new { to = "demo", body = "dev's message" }, SmsMcpFactory.ApiKey);
        var id = asDev["structuredContent"]!["message_id"]!.GetValue<string>();

        using var request = McpJsonRpc.Post(McpJsonRpc.CallTool("get_message_status", new { message_id = id }), apiKey: null);
        request.Headers.Add("X-MS-CLIENT-PRINCIPAL", Header(KnownObjectId));
        using var response = await factory.CreateClient().SendAsync(request);
        var result = (await McpJsonRpc.ReadMessageAsync(response))["result"]!;
        Assert.True(McpJsonRpc.IsError(result));
        Assert.StartsWith("message_not_found", McpJsonRpc.Text(result), StringComparison.Ordinal);
    }
}
