namespace SmsMcp.Cli.Output;

/// <summary>
/// A command that cannot run (unreadable file, unreachable target, refused key): thrown by a command, turned by
/// <see cref="SmsMcpCommandLine"/> into one error line (or a <c>--json</c> error answer) and <see cref="ExitCode"/>.
/// The message never carries a secret or caller-supplied text.
/// </summary>
internal sealed class CommandFailure(int exitCode, string code, string message, Exception? inner = null) : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;

    /// <summary>A stable snake_case code for scripts (<c>file_unreadable</c>, <c>unreachable</c>, <c>refused</c>, ...).</summary>
    public string Code { get; } = code;
}
