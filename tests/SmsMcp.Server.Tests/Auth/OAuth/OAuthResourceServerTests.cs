using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SmsMcp.Core.Audit;
using SmsMcp.Server.Tests.Infrastructure;

namespace SmsMcp.Server.Tests.Auth.OAuth;

/// <summary>
/// The OAuth resource server with the real JwtBearer handler against a loopback OpenID provider (discovery and JWKS over
/// HTTPS, keys made for this run): a valid token is accepted and its scopes decide the tools; every kind of bad token is
/// refused 401 with the pointer to the protected resource metadata, and nothing is sent.
/// </summary>
public sealed class OAuthResourceServerTests(OAuthFactory factory) : IClassFixture<OAuthFactory>
{
    private const string MetadataUrl = "http://localhost/.well-known/oauth-protected-resource/mcp";
    private static readonly string[] AllTools = ["get_message_status", "get_usage", "list_recipients", "preview_sms", "send_sms"];
    private static readonly string[] ReadTools = ["get_message_status", "get_usage", "list_recipients", "preview_sms"];

    private readonly HttpClient _client = factory.CreateClient();

    /// <summary>Every kind of token a resource server must refuse, each built from a valid one by changing one thing.</summary>
    public static TheoryData<string> RefusedTokens() =>
    [
        "wrong audience", "wrong issuer", "issuer not configured", "expired", "not yet valid", "alg none", "unknown kid",
        "signed by another key", "HS256 signed with the public key", "unmapped principal", "tampered payload", "not a JWT",
        "token for another resource, from the token endpoint",
    ];

    [Fact]
    public async Task ValidToken_WithSendScope_ListsEveryToolAndSends()
    {
        var token = Token(OAuthFactory.SenderObjectId, OAuthFactory.SendScope);
        var before = factory.OutboxLines().Count;

        Assert.Equal(AllTools, await ListToolsAsync(token));
        using var response = await PostAsync(token, McpJsonRpc.CallTool("send_sms", new { to = "demo", body = "oauth hello" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = (await McpJsonRpc.ReadMessageAsync(response))["result"]!;
        Assert.False(McpJsonRpc.IsError(result), result.ToJsonString());
        Assert.Equal(before + 1, factory.OutboxLines().Count);
    }

    [Theory]
    [MemberData(nameof(RefusedTokens))]
    public async Task BadToken_Is401WithTheMetadataPointer_NothingSent(string kind)
    {
        var before = factory.OutboxLines().Count;

        using var response = await PostAsync(await BadTokenAsync(kind), McpJsonRpc.CallTool("send_sms", new { to = "demo", body = "must not be sent" }));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains($"resource_metadata=\"{MetadataUrl}\"", challenge.Parameter, StringComparison.Ordinal);
        Assert.Contains("error=\"invalid_token\"", challenge.Parameter, StringComparison.Ordinal);
        Assert.Equal(before, factory.OutboxLines().Count);
    }

    [Fact]
    public async Task TokensAndTheirClaims_NeverReachTheLogs()
    {
        const string marker = "zz-logmarker-7c1d";
        var provider = factory.Provider;
        string[] tokens =
        [
            provider.CreateToken($"https://{marker}.example/mcp", OAuthFactory.SenderObjectId, [OAuthFactory.SendScope]),
            provider.CreateToken(OAuthFactory.Resource, marker, [OAuthFactory.SendScope]),
            provider.CreateToken(OAuthFactory.Resource, OAuthFactory.SenderObjectId, [marker], issuer: $"https://{marker}.example"),
            provider.CreateToken(OAuthFactory.Resource, OAuthFactory.SenderObjectId, [OAuthFactory.SendScope], keyId: marker),
            provider.CreateToken(OAuthFactory.Resource, OAuthFactory.SenderObjectId, [marker]),
        ];

        foreach (var token in tokens)
        {
            using var response = await PostAsync(token, McpJsonRpc.CallTool("send_sms", new { to = "demo", body = "x" }));
        }

        var logs = string.Join("\n", factory.Logs.Lines);
        Assert.DoesNotContain(marker, logs, StringComparison.Ordinal);
        Assert.All(tokens, t => Assert.DoesNotContain(t.Split('.')[1], logs, StringComparison.Ordinal));
    }

    [Fact]
    public async Task NoCredentials_Is401WithTheMetadataPointerAndNoError()
    {
        using var response = await _client.SendAsync(McpJsonRpc.Post(McpJsonRpc.Request("tools/list"), apiKey: null));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal($"realm=\"smsmcp\", resource_metadata=\"{MetadataUrl}\"", Assert.Single(response.Headers.WwwAuthenticate).Parameter);
    }

    [Fact]
    public async Task ReadScope_SeesOnlyReadTools_SendIs403InsufficientScope_AuditedAsRefused()
    {
        var token = Token(OAuthFactory.ReaderObjectId, OAuthFactory.ReadScope);
        var before = factory.OutboxLines().Count;
        var auditBefore = await AuditAsync();

        Assert.Equal(ReadTools, await ListToolsAsync(token));
        using var preview = await PostAsync(token, McpJsonRpc.CallTool("preview_sms", new { to = "demo", body = "hi" }));
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        using var send = await PostAsync(token, McpJsonRpc.CallTool("send_sms", new { to = "demo", body = "not allowed" }));

        Assert.Equal(HttpStatusCode.Forbidden, send.StatusCode);
        Assert.Equal(
            $"error=\"insufficient_scope\", scope=\"{OAuthFactory.SendScope}\", resource_metadata=\"{MetadataUrl}\"",
            Assert.Single(send.Headers.WwwAuthenticate).Parameter);
        Assert.Equal(before, factory.OutboxLines().Count);
        var record = Assert.Single(await AuditAsync(), r => !auditBefore.Any(b => b.Id == r.Id));
        Assert.Equal(("dev", "send_sms", AuditDecision.Denied, "insufficient_scope"), (record.CallerId, record.Tool, record.Decision, record.ReasonCode));
    }

    [Fact]
    public async Task NoScope_SeesNoTools_EveryCallIs403()
    {
        var token = Token(OAuthFactory.SenderObjectId);

        Assert.Empty(await ListToolsAsync(token));
        using var preview = await PostAsync(token, McpJsonRpc.CallTool("preview_sms", new { to = "demo", body = "hi" }));

        Assert.Equal(HttpStatusCode.Forbidden, preview.StatusCode);
        Assert.StartsWith($"error=\"insufficient_scope\", scope=\"{OAuthFactory.ReadScope}\"", Assert.Single(preview.Headers.WwwAuthenticate).Parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadOnlyApiKeyCaller_SeesReadTools_SendIs403_AuditedAsRefused()
    {
        var auditBefore = await AuditAsync();

        Assert.Equal(ReadTools, await ListToolsAsync(OAuthFactory.ReaderKey));
        using var send = await PostAsync(OAuthFactory.ReaderKey, McpJsonRpc.CallTool("send_sms", new { to = "demo", body = "not allowed" }));

        Assert.Equal(HttpStatusCode.Forbidden, send.StatusCode);
        Assert.Contains("error=\"insufficient_scope\"", Assert.Single(send.Headers.WwwAuthenticate).Parameter, StringComparison.Ordinal);
        var record = Assert.Single(await AuditAsync(), r => !auditBefore.Any(b => b.Id == r.Id));
        Assert.Equal(("reader", "insufficient_scope"), (record.CallerId, record.ReasonCode));
    }

    [Fact]
    public async Task DevelopmentKey_StillHasEveryTool()
    {
        Assert.Equal(AllTools, await ListToolsAsync(SmsMcpFactory.ApiKey));
    }

    [Theory]
    [InlineData("/.well-known/oauth-protected-resource/mcp", "http://localhost/mcp")]
    [InlineData("/.well-known/oauth-protected-resource", "http://localhost")]
    public async Task MetadataDocument_FollowsRfc9728(string path, string resource)
    {
        using var response = await _client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

        // §3.3: the resource is the identifier the well-known URL was formed from (its path after the well-known part).
        Assert.Equal(resource, document["resource"]!.GetValue<string>());
        Assert.Equal(new Uri(resource).GetLeftPart(UriPartial.Authority) + path, WellKnownUrlFor(resource));
        Assert.Equal([factory.Provider.Issuer], document["authorization_servers"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal([OAuthFactory.ReadScope, OAuthFactory.SendScope], document["scopes_supported"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(["header"], document["bearer_methods_supported"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.All(document, p => Assert.Contains(p.Key, Rfc9728Parameters));
    }

    [Fact]
    public async Task MetadataPointer_InTheChallenge_ServesTheMcpEndpointsDocument()
    {
        using var refused = await _client.SendAsync(McpJsonRpc.Post(McpJsonRpc.Request("tools/list"), apiKey: null));
        var pointer = System.Text.RegularExpressions.Regex.Match(refused.Headers.WwwAuthenticate.Single().Parameter!, "resource_metadata=\"([^\"]+)\"").Groups[1].Value;

        using var response = await _client.GetAsync(new Uri(pointer).PathAndQuery);

        Assert.Equal(OAuthFactory.Resource, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["resource"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/.well-known/oauth-protected-resource/admin")]
    [InlineData("/.well-known/oauth-protected-resource/mcp/x")]
    public async Task MetadataForAnotherPath_Is404(string path)
    {
        using var response = await _client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    /// <summary>The parameters RFC 9728 §2 registers: nothing else is published.</summary>
    private static readonly HashSet<string> Rfc9728Parameters =
    [
        "resource", "authorization_servers", "jwks_uri", "scopes_supported", "bearer_methods_supported",
        "resource_signing_alg_values_supported", "resource_name", "resource_documentation", "resource_policy_uri",
        "resource_tos_uri", "tls_client_certificate_bound_access_tokens", "authorization_details_types_supported",
        "dpop_signing_alg_values_supported", "dpop_bound_access_tokens_required",
    ];

    /// <summary>RFC 9728 §3.1: insert the well-known segment between the host and the resource's path.</summary>
    private static string WellKnownUrlFor(string resource)
    {
        var uri = new Uri(resource);
        var path = uri.AbsolutePath == "/" ? "" : uri.AbsolutePath;
        return uri.GetLeftPart(UriPartial.Authority) + "/.well-known/oauth-protected-resource" + path;
    }

    private string Token(string objectId, params string[] scopes) =>
        factory.Provider.CreateToken(OAuthFactory.Resource, objectId, scopes);

    private async Task<string> BadTokenAsync(string kind)
    {
        if (kind == "token for another resource, from the token endpoint")
        {
            factory.Provider.AddClient("other-resource-client", "other-secret-0123456789", OAuthFactory.SenderObjectId, OAuthFactory.SendScope);
            return await factory.Provider.RequestTokenAsync("other-resource-client", "other-secret-0123456789", "https://other-resource.example/mcp", OAuthFactory.SendScope);
        }

        return BadToken(kind);
    }

    private string BadToken(string kind)
    {
        var provider = factory.Provider;
        var now = DateTimeOffset.UtcNow;
        string[] scopes = [OAuthFactory.SendScope];
        const string sender = OAuthFactory.SenderObjectId;
        switch (kind)
        {
            case "wrong audience": return provider.CreateToken("https://elsewhere.example/mcp", sender, scopes);
            case "wrong issuer": return provider.CreateToken(OAuthFactory.Resource, sender, scopes, issuer: provider.Issuer + "/tenant2");
            case "issuer not configured": return provider.CreateToken(OAuthFactory.Resource, sender, scopes, issuer: "https://login.example.com");
            case "expired": return provider.CreateToken(OAuthFactory.Resource, sender, scopes, notBefore: now.AddHours(-3), expires: now.AddHours(-2));
            case "not yet valid": return provider.CreateToken(OAuthFactory.Resource, sender, scopes, notBefore: now.AddHours(1), expires: now.AddHours(2));
            case "alg none": return provider.CreateToken(OAuthFactory.Resource, sender, scopes, algorithm: "none");
            case "unknown kid": return provider.CreateToken(OAuthFactory.Resource, sender, scopes, keyId: "unknown-kid");
            case "HS256 signed with the public key": return provider.CreateToken(OAuthFactory.Resource, sender, scopes, algorithm: "HS256");
            case "unmapped principal": return provider.CreateToken(OAuthFactory.Resource, OAuthFactory.UnmappedObjectId, scopes);
            case "not a JWT": return "a.b.c";
            case "signed by another key":
                using (var other = RSA.Create(2048))
                {
                    return provider.CreateToken(OAuthFactory.Resource, sender, scopes, signingKey: other);
                }

            case "tampered payload":
                var parts = provider.CreateToken(OAuthFactory.Resource, OAuthFactory.ReaderObjectId, [OAuthFactory.ReadScope]).Split('.');
                var forged = provider.CreateToken(OAuthFactory.Resource, sender, scopes).Split('.');
                return $"{parts[0]}.{forged[1]}.{parts[2]}";
            default: throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    private async Task<IReadOnlyList<string>> ListToolsAsync(string bearer)
    {
        using var response = await PostAsync(bearer, McpJsonRpc.Request("tools/list"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var message = await McpJsonRpc.ReadMessageAsync(response);
        return [.. message["result"]!["tools"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal)];
    }

    private Task<HttpResponseMessage> PostAsync(string bearer, string json)
    {
        var request = McpJsonRpc.Post(json, apiKey: null);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return _client.SendAsync(request);
    }

    /// <summary>Today's and yesterday's audit records, so a test crossing midnight still finds its record.</summary>
    private async Task<IReadOnlyList<AuditRecord>> AuditAsync()
    {
        var audit = factory.Services.GetRequiredService<AuditLog>();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        return [.. await audit.ReadDayAsync(today.AddDays(-1), CancellationToken.None), .. await audit.ReadDayAsync(today, CancellationToken.None)];
    }
}
