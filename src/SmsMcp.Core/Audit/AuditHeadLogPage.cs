namespace SmsMcp.Core.Audit;

/// <summary>The lines of one publication day of an <see cref="IAuditHeadLog"/> and its version (null: no page yet).</summary>
public sealed record AuditHeadLogPage(IReadOnlyList<string> Lines, string? Version)
{
    public static AuditHeadLogPage Empty { get; } = new([], null);
}
