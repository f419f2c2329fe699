using System.Collections.Frozen;
using SmsMcp.Core.Phone;

namespace SmsMcp.Core.Policy;

/// <summary>
/// What the callers mapped to one profile may do. A number passes only if its class is allowed (special-rate,
/// satellite and non-geographic classes are blocked unless <see cref="AllowedClasses"/> names them;
/// <see cref="NumberClass.Voip"/> is allowed unless <see cref="DeniedClasses"/> names it), its region is in
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
    /// <summary>True for Standard and Voip, which pass unless denied; every other class is blocked until a profile re-allows it.</summary>
    public static bool IsAllowedByDefault(NumberClass numberClass) => numberClass is NumberClass.Standard or NumberClass.Voip;

    /// <summary>Classes this profile refuses (the policy's <c>denyNumberClasses</c>: Voip, or any other class but Standard).</summary>
    public IReadOnlySet<NumberClass> DeniedClasses { get; init; } = FrozenSet<NumberClass>.Empty;

    /// <summary>True when <paramref name="numberClass"/> is allowed by default or re-allowed, and not denied.</summary>
    public bool AllowsClass(NumberClass numberClass) =>
        !DeniedClasses.Contains(numberClass) && (IsAllowedByDefault(numberClass) || AllowedClasses.Contains(numberClass));

    /// <summary>Carrier-lookup rules for first contacts; <see cref="LookupRules.Off"/> unless the profile has <c>lookup</c>.</summary>
    public LookupRules Lookup { get; init; } = LookupRules.Off;

    /// <summary>Whether each send needs the client's human to confirm it (<c>confirm</c>); <see cref="ConfirmMode.None"/> by default.</summary>
    public ConfirmMode Confirm { get; init; } = ConfirmMode.None;

    /// <summary>What a confirming profile does when the client cannot ask (<c>confirmFallback</c>); refuse by default.</summary>
    public ConfirmFallback ConfirmFallback { get; init; } = ConfirmFallback.Refuse;
}
