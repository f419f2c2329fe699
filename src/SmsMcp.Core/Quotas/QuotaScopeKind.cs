namespace SmsMcp.Core.Quotas;

/// <summary>Whose sends a ledger entity counts (the order a send reserves in is <see cref="QuotaPlanner"/>'s).</summary>
public enum QuotaScopeKind
{
    /// <summary>One caller (profile <c>quotas</c>).</summary>
    Caller,

    /// <summary>One number, by all callers of one profile (<c>perRecipientPerDay</c>).</summary>
    Recipient,

    /// <summary>Numbers sharing all but their last four digits, by all callers of one profile (<c>perPrefixPerDay</c>).</summary>
    Prefix,

    /// <summary>All callers together (policy <c>global</c>).</summary>
    Global,

    /// <summary>One caller's billed first-contact lookups (profile <c>lookup.maxPerDay</c>); no send reserves in it.</summary>
    Lookup,
}
