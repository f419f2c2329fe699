using Azure.Core;
using Azure.Identity;

namespace SmsMcp.Core.Tests.Storage.AzureTables;

/// <summary>A credential with no identity behind it, as on a host where managed identity is not enabled.</summary>
internal sealed class FailingTokenCredential : TokenCredential
{
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        throw new AuthenticationFailedException("No identity here.");

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        throw new AuthenticationFailedException("No identity here.");
}
