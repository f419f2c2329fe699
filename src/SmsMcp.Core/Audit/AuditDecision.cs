namespace SmsMcp.Core.Audit;

/// <summary>What became of an attempt.</summary>
public enum AuditDecision
{
    /// <summary>
    /// Not yet known: the record is still at <see cref="AuditStage.Attempt"/>, or it was completed with
    /// <c>provider_outcome_unknown</c> (the carrier may have the message; reconciliation settles it).
    /// </summary>
    Pending,

    /// <summary>Handed to the provider and accepted by it.</summary>
    Accepted,

    /// <summary>Refused by validation or policy; nothing was sent.</summary>
    Denied,

    /// <summary>Allowed, but the provider or storage failed; nothing was sent.</summary>
    Failed,
}
