namespace SmsMcp.Core.Delivery;

/// <summary>What applying a <see cref="DeliveryReport"/> did.</summary>
public enum DeliveryUpdateOutcome
{
    /// <summary>The status moved forward: record updated, one audit record written.</summary>
    Applied,

    /// <summary>The report is not newer than what the record says (a repeat, or late and out of order): nothing changed.</summary>
    Duplicate,

    /// <summary>The carrier used a status word we do not know: nothing changed.</summary>
    Ignored,

    /// <summary>We never queued a message with this id: nothing changed.</summary>
    UnknownMessage,

    /// <summary>The carrier's message id is not the one on our record: nothing changed.</summary>
    Mismatch,
}
