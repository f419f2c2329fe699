using SmsMcp.Http.Admin;
using SmsMcp.Http.Auth.OAuth;
using SmsMcp.Http.Mcp;
using SmsMcp.Http.Webhooks;

namespace SmsMcp.Http.Hosting;

/// <summary>
/// The request paths this server maps exactly: the only ones logs and telemetry show as they are. Any other path —
/// a route with a parameter (<c>/admin/callers/{callerId}/…</c>) or one nothing maps (<c>/+15551234567</c>) — is what
/// the client wrote, and is redacted.
/// </summary>
public static class ServedPaths
{
    private static readonly HashSet<string> Paths = new(StringComparer.OrdinalIgnoreCase)
    {
        McpEndpoints.Path,
        TwilioStatusEndpoints.Path,
        ProtectedResourceMetadata.WellKnownPath,
        ProtectedResourceMetadata.WellKnownPath + McpEndpoints.Path,
        AdminEndpoints.Prefix + "/approvals",
        AdminEndpoints.Prefix + "/usage",
        AdminEndpoints.Prefix + "/kill-switch",
        AdminEndpoints.Prefix + "/dry-run",
    };

    public static bool Contains(string path) => Paths.Contains(path);
}
