namespace SmsMcp.Core.Callers;

/// <summary>
/// Who is asking: the authenticated caller a request runs as. <see cref="Id"/> is an operator-chosen
/// name (never a secret); every store partitions by it, so one caller cannot see another's data.
/// </summary>
public sealed record CallerIdentity(string Id)
{
    /// <summary>Caller ids are short, printable and safe to use as storage keys and in logs.</summary>
    public static bool IsValidId(string? id) =>
        !string.IsNullOrEmpty(id)
        && id.Length <= 64
        && id.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '_' or '.' or ':');
}
