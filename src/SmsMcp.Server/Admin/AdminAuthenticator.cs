using Microsoft.Extensions.Options;
using SmsMcp.Server.Auth;

namespace SmsMcp.Server.Admin;

/// <summary>
/// Authenticates operators on <c>/admin</c> with <c>Authorization: Bearer</c> against <see cref="AdminOptions.Keys"/>
/// only — a separate key set from the MCP callers. Every hash is checked without stopping early, so timing does not
/// tell which operator nearly matched.
/// </summary>
public sealed class AdminAuthenticator(IOptions<AdminOptions> options)
{
    private readonly (string OperatorId, ApiKeyHash Hash)[] _keys = [.. options.Value.Keys.Select(k =>
        (k.Id, new ApiKeyHash(Convert.FromBase64String(k.KeySalt), Convert.FromBase64String(k.KeyHash))))];

    /// <summary>False when no operator key is configured: the admin surface then does not exist.</summary>
    public bool IsConfigured => _keys.Length > 0;

    /// <summary>The operator id the presented key belongs to, or null.</summary>
    public string? Authenticate(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        if (!authorization.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || authorization.Length == prefix.Length)
        {
            return null;
        }

        var presented = authorization[prefix.Length..].Trim();
        string? match = null;
        foreach (var (operatorId, hash) in _keys)
        {
            if (hash.Matches(presented) && match is null)
            {
                match = operatorId;
            }
        }

        return match;
    }
}
