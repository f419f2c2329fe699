using System.Text;
using System.Text.Json;

namespace SmsMcp.Http.Auth;

/// <summary>
/// Reads the object id out of the <c>X-MS-CLIENT-PRINCIPAL</c> header that App Service built-in
/// authentication sets: base64 JSON <c>{"auth_typ":…,"claims":[{"typ":…,"val":…}]}</c>.
/// </summary>
public static class AppServicePrincipal
{
    public const string HeaderName = "X-MS-CLIENT-PRINCIPAL";
    private const string ObjectIdClaim = "http://schemas.microsoft.com/identity/claims/objectidentifier";
    private const int MaxHeaderLength = 16 * 1024;

    /// <summary>The principal's object id, or null when the header is absent, malformed or has none.</summary>
    public static string? ReadObjectId(string? header)
    {
        if (string.IsNullOrEmpty(header) || header.Length > MaxHeaderLength)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(header)));
            if (!document.RootElement.TryGetProperty("claims", out var claims) || claims.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            foreach (var claim in claims.EnumerateArray())
            {
                if (claim.ValueKind == JsonValueKind.Object
                    && claim.TryGetProperty("typ", out var type) && type.ValueKind == JsonValueKind.String
                    && type.GetString() is ObjectIdClaim or "oid"
                    && claim.TryGetProperty("val", out var value) && value.ValueKind == JsonValueKind.String)
                {
                    return value.GetString();
                }
            }

            return null;
        }
        catch (Exception e) when (e is FormatException or JsonException or DecoderFallbackException)
        {
            return null;
        }
    }
}
