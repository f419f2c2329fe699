namespace SmsMcp.Cli.Verify;

/// <summary>One line of the verify table: a stable <see cref="Id"/> scripts can key on, what was checked, and why it passed or failed.</summary>
internal sealed record VerifyLine(string Id, string Check, VerifyStatus Status, string Reason);

internal enum VerifyStatus
{
    Pass,
    Fail,

    /// <summary>Not applicable or not checkable with the credentials given (never a failure).</summary>
    Skip,
}
