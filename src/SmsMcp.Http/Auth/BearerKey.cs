namespace SmsMcp.Http.Auth;

/// <summary>The API key a request presents as <c>Authorization: Bearer &lt;key&gt;</c> (scheme case-insensitive).</summary>
public static class BearerKey
{
    private const string Prefix = "Bearer ";

    /// <summary>The presented key (trimmed), or null when there is no Bearer header or it carries nothing.</summary>
    public static string? Read(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && authorization.Length > Prefix.Length
            ? authorization[Prefix.Length..].Trim()
            : null;
    }
}
