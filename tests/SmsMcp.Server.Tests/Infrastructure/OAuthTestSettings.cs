using SmsMcp.Http.Auth;

namespace SmsMcp.Server.Tests.Infrastructure;

/// <summary>
/// The OAuth settings both hosts get in the OAuth tests: one loopback issuer, two principals mapped to the dev caller
/// (their scopes decide what each may do), and an API-key caller <c>reader</c> with read-only access.
/// </summary>
public static class OAuthTestSettings
{
    public const string SenderObjectId = "11111111-1111-4111-8111-111111111111";
    public const string ReaderObjectId = "22222222-2222-4222-8222-222222222222";
    public const string ReadScope = "SmsMcp.Read";
    public const string SendScope = "SmsMcp.Send";
    public const string ReaderKey = "reader-key-0123456789abcdefghijklmnopq";

    public static IReadOnlyList<KeyValuePair<string, string>> For(string issuer, string resource)
    {
        var readerHash = ApiKeyHash.Create(ReaderKey);
        return
        [
            new("Auth:OAuth:Enabled", "true"),
            new("Auth:OAuth:Resource", resource),
            new("Auth:OAuth:Issuers:0:Issuer", issuer),
            new("Auth:OAuth:Principals:0:Issuer", issuer),
            new("Auth:OAuth:Principals:0:Subject", SenderObjectId),
            new("Auth:OAuth:Principals:0:CallerId", "dev"),
            new("Auth:OAuth:Principals:1:Issuer", issuer),
            new("Auth:OAuth:Principals:1:Subject", ReaderObjectId),
            new("Auth:OAuth:Principals:1:CallerId", "dev"),
            new("Auth:Callers:0:Id", "reader"),
            new("Auth:Callers:0:KeySalt", readerHash.SaltBase64),
            new("Auth:Callers:0:KeyHash", readerHash.HashBase64),
            new("Auth:Callers:0:Access", "Read"),
        ];
    }
}
