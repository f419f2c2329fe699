namespace SmsMcp.Http.Auth;

/// <summary>One API-key caller: its id and the salted hash of its key (both base64).</summary>
public sealed class ApiKeyCallerOptions
{
    public string Id { get; set; } = "";
    public string KeySalt { get; set; } = "";
    public string KeyHash { get; set; } = "";
}
