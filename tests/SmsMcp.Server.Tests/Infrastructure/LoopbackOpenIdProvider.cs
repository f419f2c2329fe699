using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SmsMcp.Core.Tests.Storage.AzureTables;

namespace SmsMcp.Server.Tests.Infrastructure;

/// <summary>
/// A loopback OpenID provider that speaks the real protocol over HTTPS: discovery (<c>/.well-known/openid-configuration</c>
/// and the RFC 8414 <c>/.well-known/oauth-authorization-server</c>), a JWKS with an RSA key made for this run, and a token
/// endpoint for <c>client_credentials</c> (client_secret_basic or client_secret_post, RFC 8707 <c>resource</c> → <c>aud</c>).
/// Its certificate is self-signed per run and trusted only by <see cref="BackchannelHandler"/> (pinned) and by a Node
/// process given <see cref="CertificatePemPath"/> as <c>NODE_EXTRA_CA_CERTS</c>. Tests also mint tokens directly
/// (<see cref="CreateToken"/>), including every malformed kind a resource server must refuse.
/// </summary>
public sealed class LoopbackOpenIdProvider : IAsyncDisposable
{
    public const string KeyId = "loopback-key-1";
    private readonly WebApplication _app;
    private readonly SelfSignedCertificate _certificate;
    private readonly X509Certificate2 _serverCertificate;
    private readonly RSA _key = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, Client> _clients = new(StringComparer.Ordinal);
    private int _tokensIssued;

    private LoopbackOpenIdProvider(WebApplication app, SelfSignedCertificate certificate, X509Certificate2 serverCertificate)
    {
        _app = app;
        _certificate = certificate;
        _serverCertificate = serverCertificate;
    }

    /// <summary>The issuer: <c>https://127.0.0.1:{port}</c>.</summary>
    public string Issuer { get; private set; } = "";

    public string CertificatePemPath => _certificate.CertificatePemPath;

    /// <summary>Tokens the token endpoint has issued.</summary>
    public int TokensIssued => _tokensIssued;

    /// <summary>The public key as a PEM SubjectPublicKeyInfo: what an attacker can read from the JWKS.</summary>
    public string PublicKeyPem => _key.ExportSubjectPublicKeyInfoPem();

    public static async Task<LoopbackOpenIdProvider> StartAsync()
    {
        var certificate = SelfSignedCertificate.Create();
        var serverCertificate = X509Certificate2.CreateFromPemFile(certificate.CertificatePemPath, certificate.KeyPemPath);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(serverCertificate)));
        var app = builder.Build();
        var provider = new LoopbackOpenIdProvider(app, certificate, serverCertificate);
        app.MapGet("/.well-known/openid-configuration", () => provider.Discovery(provider.Issuer));
        app.MapGet("/.well-known/oauth-authorization-server", () => provider.Discovery(provider.Issuer));

        // Entra ID's v2 layout: one issuer per tenant, https://{instance}/{tenant}/v2.0, discovery under it.
        app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", (string tenant) => provider.Discovery(provider.TenantIssuer(tenant)));
        app.MapGet("/jwks", provider.Jwks);
        app.MapPost("/token", provider.TokenAsync);
        await app.StartAsync();
        provider.Issuer = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        return provider;
    }

    /// <summary>The issuer of a tenant in Entra ID's v2 layout: <c>{Issuer}/{tenant}/v2.0</c>.</summary>
    public string TenantIssuer(string tenant) => $"{Issuer}/{tenant}/v2.0";

    /// <summary>Asks the token endpoint for a client-credentials token, as a client would (client_secret_basic).</summary>
    public async Task<string> RequestTokenAsync(string clientId, string secret, string resource, string scope)
    {
        using var http = new HttpClient(BackchannelHandler());
        using var request = new HttpRequestMessage(HttpMethod.Post, Issuer + "/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["resource"] = resource, ["scope"] = scope }),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{secret}")));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
    }

    /// <summary>A handler for the resource server's backchannel that trusts exactly this provider's certificate.</summary>
    public HttpMessageHandler BackchannelHandler() => _certificate.TrustingHandler();

    /// <summary>Registers a confidential client; its tokens name <paramref name="objectId"/> as <c>oid</c> and carry at most <paramref name="scopes"/>.</summary>
    public void AddClient(string clientId, string secret, string objectId, params string[] scopes) =>
        _clients[clientId] = new Client(secret, objectId, scopes);

    /// <summary>
    /// A token as the tests want it. Defaults: this issuer, RS256 with the JWKS key, valid from an hour ago for two hours.
    /// <paramref name="algorithm"/> "none" leaves it unsigned; "HS256" signs it with the public key's PEM as an HMAC secret.
    /// </summary>
    public string CreateToken(
        string audience,
        string objectId,
        IEnumerable<string> scopes,
        string? issuer = null,
        DateTimeOffset? notBefore = null,
        DateTimeOffset? expires = null,
        string algorithm = "RS256",
        string keyId = KeyId,
        RSA? signingKey = null,
        string? clientId = "loopback-client")
    {
        var now = DateTimeOffset.UtcNow;
        var payload = new JsonObject
        {
            ["iss"] = issuer ?? Issuer,
            ["aud"] = audience,
            ["sub"] = objectId,
            ["oid"] = objectId,
            ["azp"] = clientId,
            ["scp"] = string.Join(' ', scopes),
            ["iat"] = (notBefore ?? now.AddHours(-1)).ToUnixTimeSeconds(),
            ["nbf"] = (notBefore ?? now.AddHours(-1)).ToUnixTimeSeconds(),
            ["exp"] = (expires ?? now.AddHours(1)).ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString("N"),
        };
        var header = new JsonObject { ["alg"] = algorithm, ["typ"] = "JWT" };
        if (algorithm != "none")
        {
            header["kid"] = keyId;
        }

        var signingInput = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        var data = Encoding.ASCII.GetBytes(signingInput);
        var signature = algorithm switch
        {
            "none" => [],
            "HS256" => HMACSHA256.HashData(Encoding.ASCII.GetBytes(PublicKeyPem), data),
            "RS256" => (signingKey ?? _key).SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => throw new ArgumentException("Unsupported test algorithm.", nameof(algorithm)),
        };
        return signingInput + "." + Base64Url(signature);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _serverCertificate.Dispose();
        _certificate.Dispose();
        _key.Dispose();
    }

    private IResult Discovery(string issuer) => Results.Json(new JsonObject
    {
        ["issuer"] = issuer,
        ["authorization_endpoint"] = Issuer + "/authorize",
        ["token_endpoint"] = Issuer + "/token",
        ["jwks_uri"] = Issuer + "/jwks",
        ["response_types_supported"] = new JsonArray("code"),
        ["subject_types_supported"] = new JsonArray("public"),
        ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
        ["grant_types_supported"] = new JsonArray("client_credentials"),
        ["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_basic", "client_secret_post"),
        ["code_challenge_methods_supported"] = new JsonArray("S256"),
    });

    private IResult Jwks()
    {
        var parameters = _key.ExportParameters(includePrivateParameters: false);
        return Results.Json(new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["alg"] = "RS256",
                ["kid"] = KeyId,
                ["n"] = Base64Url(parameters.Modulus!),
                ["e"] = Base64Url(parameters.Exponent!),
            }),
        });
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        var (clientId, secret) = ClientCredentials(request, form);
        if (clientId is null || !_clients.TryGetValue(clientId, out var client)
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(secret ?? ""), Encoding.UTF8.GetBytes(client.Secret)))
        {
            return Results.Json(new JsonObject { ["error"] = "invalid_client" }, statusCode: StatusCodes.Status401Unauthorized);
        }

        if (form["grant_type"] != "client_credentials")
        {
            return Results.Json(new JsonObject { ["error"] = "unsupported_grant_type" }, statusCode: StatusCodes.Status400BadRequest);
        }

        // RFC 8707: the audience is the resource the client names; a client that did not discover it gets nothing.
        if (form["resource"].ToString() is not { Length: > 0 } resource)
        {
            return Results.Json(new JsonObject { ["error"] = "invalid_target" }, statusCode: StatusCodes.Status400BadRequest);
        }

        var requested = form["scope"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var granted = requested.Length == 0 ? client.Scopes : [.. requested.Intersect(client.Scopes, StringComparer.Ordinal)];
        Interlocked.Increment(ref _tokensIssued);
        return Results.Json(new JsonObject
        {
            ["access_token"] = CreateToken(resource, client.ObjectId, granted, clientId: clientId),
            ["token_type"] = "Bearer",
            ["expires_in"] = 3600,
            ["scope"] = string.Join(' ', granted),
        });
    }

    private static (string? ClientId, string? Secret) ClientCredentials(HttpRequest request, IFormCollection form)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? (null, null) : (Uri.UnescapeDataString(decoded[..colon]), Uri.UnescapeDataString(decoded[(colon + 1)..]));
        }

        return (form["client_id"].ToString() is { Length: > 0 } id ? id : null, form["client_secret"].ToString());
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed record Client(string Secret, string ObjectId, string[] Scopes);
}
