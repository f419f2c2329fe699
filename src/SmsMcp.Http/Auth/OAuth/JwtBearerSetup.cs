using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace SmsMcp.Http.Auth.OAuth;

/// <summary>
/// The settings of each issuer's JwtBearer scheme: keys only from that issuer's discovery document and JWKS over https,
/// exactly that issuer, an audience this server publishes, a signed token with a lifetime, the algorithm allow-list.
/// The token is not saved on the authentication result (nothing downstream can pass it on).
/// </summary>
internal sealed class JwtBearerSetup(IOptions<OAuthOptions> options, ProtectedResourceMetadata metadata, TimeProvider time)
    : IConfigureNamedOptions<JwtBearerOptions>
{
    public void Configure(JwtBearerOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, JwtBearerOptions jwt)
    {
        if (name is null || !name.StartsWith(OAuthResourceServer.SchemePrefix, StringComparison.Ordinal)
            || !int.TryParse(name.AsSpan(OAuthResourceServer.SchemePrefix.Length), out var index)
            || index >= options.Value.EffectiveIssuers.Count)
        {
            return;
        }

        var issuer = options.Value.EffectiveIssuers[index];
        jwt.MetadataAddress = issuer.EffectiveMetadataAddress;
        jwt.RequireHttpsMetadata = true;
        jwt.SaveToken = false;
        jwt.MapInboundClaims = false;
        jwt.RefreshOnIssuerKeyNotFound = true;
        jwt.TimeProvider = time;
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = issuer.Issuer,
            ValidateIssuer = true,
            ValidAudiences = metadata.Audiences,
            ValidateAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ValidAlgorithms = options.Value.EffectiveAlgorithms,
            // A kid the JWKS does not list is refused, not tried against every key.
            TryAllIssuerSigningKeys = false,
            ClockSkew = TimeSpan.FromMinutes(1),
            NameClaimType = options.Value.CallerClaim,
        };
    }
}
