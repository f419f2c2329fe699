using Spectre.Console;

namespace SmsMcp.Cli.Output;

/// <summary>
/// Where a command writes and what it talks through: the terminal (tables, colours), stdout for <c>--json</c>, and the
/// HTTP handler for the network. Tests hand in their own writers; the tool uses the process's.
/// </summary>
internal sealed class CliContext
{
    public CliContext(IAnsiConsole console, TextWriter output, TextWriter error, TimeProvider time, Func<HttpMessageHandler>? handlerFactory = null)
    {
        Console = console;
        Output = output;
        Error = error;
        Time = time;
        HandlerFactory = handlerFactory ?? (() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
    }

    /// <summary>The human-readable side: tables, colours, progress.</summary>
    public IAnsiConsole Console { get; }

    /// <summary>Standard output, which <c>--json</c> owns (one JSON document, nothing else).</summary>
    public TextWriter Output { get; }

    /// <summary>Standard error: parse errors and failures that have no table.</summary>
    public TextWriter Error { get; }

    public TimeProvider Time { get; }

    /// <summary>A fresh handler per client; redirects are never followed (a redirect is itself a finding).</summary>
    public Func<HttpMessageHandler> HandlerFactory { get; }

    public static CliContext ForProcess() =>
        new(AnsiConsole.Console, System.Console.Out, System.Console.Error, TimeProvider.System);
}
