using Microsoft.Extensions.Options;
using SmsMcp.Http.Auth;

namespace SmsMcp.Http.Admin;

/// <summary>
/// Authenticates operators on <c>/admin</c> with <c>Authorization: Bearer</c> against <see cref="AdminOptions.Keys"/>
/// only — a separate key set from the MCP callers. Every hash is checked without stopping early
/// (<see cref="ApiKeySet{TOwner}"/>), so timing does not tell which operator nearly matched.
/// </summary>
public sealed class AdminAuthenticator(IOptions<AdminOptions> options)
{
    private readonly ApiKeySet<string> _keys = new(options.Value.Keys.Select(k => (k.Id, ApiKeyHash.FromOptions(k))));

    /// <summary>False when no operator key is configured: the admin surface then does not exist.</summary>
    public bool IsConfigured => !_keys.IsEmpty;

    /// <summary>The operator id the presented key belongs to, or null.</summary>
    public string? Authenticate(HttpRequest request) => BearerKey.Read(request) is { } presented ? _keys.Match(presented) : null;
}
