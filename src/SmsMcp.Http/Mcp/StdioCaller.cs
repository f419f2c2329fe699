using SmsMcp.Core.Callers;

namespace SmsMcp.Http.Mcp;

/// <summary>
/// The caller that stdio mode runs as. stdio is a local pipe from a process the user started themselves,
/// so the launching user is the caller; registered only in stdio mode.
/// </summary>
public sealed record StdioCaller(CallerIdentity Caller);
