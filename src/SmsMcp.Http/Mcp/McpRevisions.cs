namespace SmsMcp.Http.Mcp;

/// <summary>
/// The MCP revisions this server speaks on one endpoint. The SDK also accepts 2024-11-05 and 2025-03-26; this server
/// does not (older revisions have no protocol-version header and no structured tool output), so the guard refuses
/// them in the header and <see cref="McpServerSetup"/> answers an <c>initialize</c> asking for one with the newest
/// handshake revision, as the specification has servers do for a revision they do not speak.
/// </summary>
public static partial class McpRevisions
{
    public const string Header = "MCP-Protocol-Version";
    public const string July2026 = "2026-07-28";
    public const string November2025 = "2025-11-25";
    public const string June2025 = "2025-06-18";

    public static readonly IReadOnlyList<string> Supported =
    [
        July2026,
        November2025,
        June2025,
    ];

    /// <summary>Revisions with per-request metadata and <c>server/discover</c> instead of the handshake.</summary>
    public static readonly IReadOnlyList<string> PerRequestMetadata = [July2026];

    /// <summary>The newest revision negotiated through <c>initialize</c> (2026-07-28 has no handshake).</summary>
    public const string LatestHandshake = November2025;

    /// <summary>Revisions negotiated through <c>initialize</c>.</summary>
    public static readonly IReadOnlyList<string> Handshake = [November2025, June2025];

    /// <summary>
    /// A revision name safe to repeat in an error (the 2026-07-28 refusal echoes the requested version): a date or a
    /// dotted version of at most eight digits, so no phone number fits, and nothing else a caller could type does.
    /// </summary>
    public static bool IsVersionShaped(string value) => VersionShape().IsMatch(value);

    [System.Text.RegularExpressions.GeneratedRegex(@"^v?[0-9]{1,4}(?:[.-][0-9]{1,2}){1,2}$", System.Text.RegularExpressions.RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial System.Text.RegularExpressions.Regex VersionShape();

    public static bool IsSupported(string version) => Supported.Contains(version, StringComparer.Ordinal);
}
