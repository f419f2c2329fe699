using Azure.Core;
using Azure.Identity;

namespace SmsMcp.Infrastructure.Hosting;

/// <summary>The Entra ID credential for every Azure service the server calls (Table Storage, Key Vault), chosen the same way.</summary>
internal static class AzureCredentials
{
    // An explicit user-assigned identity skips DefaultAzureCredential's probing chain, so the server cannot silently
    // pick up another identity (a developer login, environment secrets) than the one the operator granted.
    public static TokenCredential Create(string? managedIdentityClientId) =>
        string.IsNullOrWhiteSpace(managedIdentityClientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(managedIdentityClientId));
}
