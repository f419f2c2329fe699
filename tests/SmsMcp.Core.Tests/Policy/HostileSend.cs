namespace SmsMcp.Core.Tests.Policy;

/// <summary>One corpus case: who sends what to whom, and the exact reason code the refusal must carry.</summary>
public sealed record HostileSend(string Label, string Caller, string? To, string? Body, string Expected);
