using System.Diagnostics;

namespace SmsMcp.Cli.Tests.Infrastructure;

/// <summary>
/// A real terminal emulator for render tests: a private tmux server (its own socket) with one 120×40 window running a
/// command. The command signals a tmux channel when it ends (<c>tmux wait-for</c>), so the test waits for exactly that
/// event, then reads the screen with <c>capture-pane</c> (with <c>-e</c>: including colour escapes).
/// </summary>
internal sealed class TmuxTerminal : IAsyncDisposable
{
    public const int Width = 120;
    public const int Height = 40;

    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    private readonly string _socket = "smsmcp-cli-" + Guid.NewGuid().ToString("N")[..12];

    public static string Tmux => File.Exists("/usr/bin/tmux") ? "/usr/bin/tmux"
        : throw new InvalidOperationException("tmux is missing: install it (apt-get install tmux; ./test.sh does this).");

    /// <summary>Runs <paramref name="command"/> (a shell line) in the terminal and returns the screen when it has ended.</summary>
    public async Task<(string Text, string WithColours)> RunAsync(string command, IReadOnlyDictionary<string, string>? environment = null)
    {
        var channel = "done-" + _socket;
        var exports = string.Concat((environment ?? new Dictionary<string, string>()).Select(e => $"export {e.Key}='{e.Value}'; "));
        await TmuxAsync("new-session", "-d", "-x", Width.ToString(), "-y", Height.ToString(), "-s", "render",
            $"{exports}{command}; {Tmux} -L {_socket} wait-for -S {channel}; sleep 300");
        await TmuxAsync("wait-for", channel);
        var text = await TmuxAsync("capture-pane", "-p", "-t", "render");
        var colours = await TmuxAsync("capture-pane", "-p", "-e", "-t", "render");
        return (text, colours);
    }

    private async Task<string> TmuxAsync(params string[] args)
    {
        var info = new ProcessStartInfo(Tmux) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-L");
        info.ArgumentList.Add(_socket);
        info.ArgumentList.Add("-f");
        info.ArgumentList.Add("/dev/null");
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["TERM"] = "xterm-256color";
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Limit);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"tmux {string.Join(' ', args)} failed: {await error}");
        return await output;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await TmuxAsync("kill-server");
        }
        catch (Xunit.Sdk.XunitException)
        {
            // Already gone.
        }
    }
}
