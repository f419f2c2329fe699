namespace SmsMcp.Core.Confirmation;

/// <summary>
/// What a confirmation's request state vouches for: one question (<paramref name="Nonce"/>, its single-use id), asked of
/// <paramref name="CallerId"/> about the exact request whose keyed digest is <paramref name="RequestDigest"/>, answerable
/// until <paramref name="ExpiresAt"/>.
/// </summary>
public sealed record ConfirmationState(string Nonce, string CallerId, string RequestDigest, DateTimeOffset ExpiresAt);
