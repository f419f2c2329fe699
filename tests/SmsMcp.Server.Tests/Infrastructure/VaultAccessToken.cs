using System.Text.Json;
using Azure.Core;

namespace SmsMcp.Server.Tests.Infrastructure;

/// <summary>
/// A bearer token for <c>FakeKeyVault</c>: a JWT whose audience is the scope asked for (all the fake checks). Stands in
/// for the managed identity, which the Core tests exercise for real; here the point is the real <c>SecretClient</c>.
/// </summary>
public sealed class VaultAccessToken : TokenCredential
{
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        static string Segment(object value) => Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(value)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var audience = requestContext.Scopes.Single().Replace("/.default", "", StringComparison.Ordinal);
        var expires = DateTimeOffset.UtcNow.AddHours(1);
        return new AccessToken($"{Segment(new { alg = "none" })}.{Segment(new { aud = audience, exp = expires.ToUnixTimeSeconds() })}.c2ln", expires);
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
