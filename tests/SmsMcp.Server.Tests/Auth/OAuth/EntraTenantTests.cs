using System.Net;
using System.Net.Http.Headers;
using SmsMcp.Server.Tests.Infrastructure;

namespace SmsMcp.Server.Tests.Auth.OAuth;

/// <summary>
/// The Entra ID configuration (<c>Auth:OAuth:EntraTenantIds</c>): issuers and discovery in Entra's v2 layout
/// (<c>{instance}/{tenant}/v2.0</c>), here served by the loopback provider as the instance. A v2 token of an allowed
/// tenant for the API's client id is accepted; the same token from a tenant not on the allow-list, or naming the tenant
/// but signed for the v1 issuer form, is refused.
/// </summary>
public sealed class EntraTenantTests(EntraTenantTests.EntraFactory factory) : IClassFixture<EntraTenantTests.EntraFactory>
{
    public const string Tenant = "0f0e0d0c-0b0a-4908-8706-050403020100";
    public const string OtherTenant = "a0a0a0a0-b1b1-4c2c-8d3d-e4e4e4e4e4e4";
    public const string ApiClientId = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";

    public sealed class EntraFactory : OAuthFactory
    {
        protected override IEnumerable<KeyValuePair<string, string>> Settings =>
        [
            new("Auth:OAuth:Enabled", "true"),
            new("Auth:OAuth:Resource", Resource),
            new("Auth:OAuth:EntraInstance", Provider.Issuer + "/"),
            new("Auth:OAuth:EntraTenantIds:0", Tenant),
            new("Auth:OAuth:Audiences:0", ApiClientId),
            new("Auth:OAuth:Principals:0:Issuer", Provider.TenantIssuer(Tenant)),
            new("Auth:OAuth:Principals:0:Subject", SenderObjectId),
            new("Auth:OAuth:Principals:0:CallerId", "dev"),
        ];
    }

    [Fact]
    public async Task AllowedTenantsV2Token_ForTheApiClientId_IsAccepted()
    {
        var token = factory.Provider.CreateToken(ApiClientId, OAuthFactory.SenderObjectId, [OAuthFactory.ReadScope], issuer: factory.Provider.TenantIssuer(Tenant));

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(token));
    }

    [Theory]
    [InlineData("tenant not on the allow-list")]
    [InlineData("v1 issuer form")]
    [InlineData("the instance itself")]
    public async Task OtherIssuers_AreRefused(string kind)
    {
        var provider = factory.Provider;
        var issuer = kind switch
        {
            "tenant not on the allow-list" => provider.TenantIssuer(OtherTenant),
            "v1 issuer form" => $"{provider.Issuer}/{Tenant}/",
            _ => provider.Issuer,
        };
        var token = provider.CreateToken(ApiClientId, OAuthFactory.SenderObjectId, [OAuthFactory.ReadScope], issuer: issuer);

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(token));
    }

    private async Task<HttpStatusCode> StatusAsync(string token)
    {
        var request = McpJsonRpc.Post(McpJsonRpc.Request("tools/list"), apiKey: null);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await factory.CreateClient().SendAsync(request);
        return response.StatusCode;
    }
}
