namespace SmsMcp.Core.Controls;

/// <summary>
/// One runtime control as stored: whether it is engaged, and who changed it last and when (null when it was
/// never set). <see cref="ChangedBy"/> is an operator id, never a key.
/// </summary>
public sealed record ControlState(bool Engaged, string? ChangedBy, DateTimeOffset? ChangedAt)
{
    public static ControlState NeverSet { get; } = new(false, null, null);
}
