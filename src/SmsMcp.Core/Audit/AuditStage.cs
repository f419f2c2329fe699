namespace SmsMcp.Core.Audit;

/// <summary>Where an audit record is in its life: written ahead of the provider call, or completed.</summary>
public enum AuditStage
{
    /// <summary>Written before the provider is called; a record left here means the outcome is unknown.</summary>
    Attempt,

    /// <summary>The outcome is known and recorded.</summary>
    Completed,
}
