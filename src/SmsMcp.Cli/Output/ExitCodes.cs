namespace SmsMcp.Cli.Output;

/// <summary>
/// What every <c>smsmcp</c> command returns to the shell, so CI can branch on it. The same numbers appear as
/// <c>exitCode</c> in every <c>--json</c> answer (README, "The operator's command line").
/// </summary>
public static class ExitCodes
{
    /// <summary>Everything checked passed (or the change was made).</summary>
    public const int Ok = 0;

    /// <summary>The command ran and found a failure: a red verify line, an invalid policy, a policy case that disagrees, tampering.</summary>
    public const int Failed = 1;

    /// <summary>The command line itself is wrong (unknown option, missing argument, malformed URL).</summary>
    public const int Usage = 2;

    /// <summary>The input could not be read or the target not reached (file missing, connection refused, storage down, 5xx).</summary>
    public const int Unavailable = 3;

    /// <summary>The target refused the request (401/403: wrong or missing admin key; 404/409/410 for an approval).</summary>
    public const int Refused = 4;
}
