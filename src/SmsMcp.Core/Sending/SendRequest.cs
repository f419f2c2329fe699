using SmsMcp.Core.Callers;

namespace SmsMcp.Core.Sending;

/// <summary>What a caller asked to send. <paramref name="To"/> is an E.164 number or an alias.</summary>
public sealed record SendRequest(CallerIdentity Caller, string? To, string? Body, string? IdempotencyKey = null);
