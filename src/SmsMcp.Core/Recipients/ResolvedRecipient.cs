using SmsMcp.Core.Phone;

namespace SmsMcp.Core.Recipients;

/// <summary>A recipient after alias resolution: the number, and the alias it was addressed by (if any).</summary>
public sealed record ResolvedRecipient(PhoneNumber Number, string? Alias);
