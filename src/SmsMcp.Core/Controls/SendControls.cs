namespace SmsMcp.Core.Controls;

/// <summary>The runtime controls that apply to one send (global or the caller's own): the kill switch and dry-run mode.</summary>
public sealed record SendControls(bool SendingDisabled, bool DryRun);
