using SmsMcp.Core.Phone;

namespace SmsMcp.Core.Policy;

/// <summary>
/// What the callers mapped to one profile may do. A number passes only if its class is allowed (special-rate
/// classes are blocked unless <see cref="AllowedClasses"/> names them), its region is in
/// <see cref="Countries"/>, <see cref="Allow"/> selects it and <see cref="Deny"/> does not.
/// </summary>
public sealed record PolicyProfile(
    string Name,
    RecipientSelector Allow,
    RecipientSelector Deny,
    IReadOnlySet<string> Countries,
    IReadOnlySet<NumberClass> AllowedClasses,
    ContentRules Content,
    DeclaredQuotas Quotas,
    ApprovalMode Approval = ApprovalMode.None)
{
    /// <summary><see cref="NumberClass.Standard"/> always; any other class only when the profile names it.</summary>
    public bool AllowsClass(NumberClass numberClass) => numberClass == NumberClass.Standard || AllowedClasses.Contains(numberClass);

    /// <summary>Carrier-lookup rules for first contacts; <see cref="LookupRules.Off"/> unless the profile has <c>lookup</c>.</summary>
    public LookupRules Lookup { get; init; } = LookupRules.Off;
}
