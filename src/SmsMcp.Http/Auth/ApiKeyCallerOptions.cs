namespace SmsMcp.Http.Auth;

/// <summary>One API-key caller: its id and the salted hash of its key (both base64).</summary>
public sealed class ApiKeyCallerOptions
{
    public string Id { get; set; } = "";
    public string KeySalt { get; set; } = "";
    public string KeyHash { get; set; } = "";

    /// <summary>
    /// Which tools the caller may see and call (<c>Auth:Callers</c> only): <c>Send</c> (every tool) or <c>Read</c> (the
    /// read-only tools; <c>send_sms</c> is hidden and refused with 403). Default: <c>Send</c>.
    /// </summary>
    public string Access { get; set; } = "Send";
}
