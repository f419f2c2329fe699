using SmsMcp.Cli.Tests.Infrastructure;
using SmsMcp.EndToEnd.Tests.Infrastructure;

namespace SmsMcp.Cli.Tests;

/// <summary>The tables and the chart as a real terminal (tmux, 120×40) shows them: borders closed, within the width, in colour.</summary>
public sealed class RenderTests
{
    private static string Smsmcp => $"dotnet {Path.Combine(RepositoryPaths.Root, "src", "SmsMcp.Cli", "bin", RepositoryPaths.Configuration, "net10.0", "smsmcp.dll")}";

    private static string Repo(params string[] parts) => Path.Combine([RepositoryPaths.Root, .. parts]);

    [Fact]
    public async Task PolicyTestTable_RendersClosedWithinTheWidth_FailInRed()
    {
        using var folder = new TempDirectory();
        var cases = folder.Write("cases.json", """
            { "cases": [
              { "name": "demo", "caller": "dev", "to": "demo", "body": "hello", "expect": "allowed" },
              { "name": "link", "caller": "dev", "to": "demo", "body": "see https://example.com", "expect": "allowed" }
            ] }
            """);
        await using var terminal = new TmuxTerminal();

        var (text, colours) = await terminal.RunAsync($"{Smsmcp} policy test {Repo("policy", "development.json")} {cases}");

        var table = AssertClosedTable(text);
        Assert.Contains(table, l => l.Contains("demo", StringComparison.Ordinal) && l.Contains("pass", StringComparison.Ordinal));
        Assert.Contains(table, l => l.Contains("url_not_allowed", StringComparison.Ordinal) && l.Contains("FAIL", StringComparison.Ordinal));
        Assert.Matches(@"\x1b\[[0-9;]*(31|91|38;5;9|38;2;255;0;0)m\s*FAIL", colours);
        Assert.Contains("1 of 2 case(s) disagree", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyTableAndUsageChart_Render()
    {
        await using var server = await LockedDownServer.StartAsync();
        await using var terminal = new TmuxTerminal();
        var url = $"http://127.0.0.1:{server.Port}";

        var (verify, colours) = await terminal.RunAsync($"{Smsmcp} verify {url} --key $SMSMCP_TEST_KEY --admin-key $SMSMCP_ADMIN_KEY",
            new Dictionary<string, string> { ["SMSMCP_TEST_KEY"] = ServerProcess.ApiKey, ["SMSMCP_ADMIN_KEY"] = ServerProcess.AdminKey });

        var table = AssertClosedTable(verify);
        Assert.Equal(11, table.Count(l => l.Contains("PASS", StringComparison.Ordinal)));
        Assert.Contains("every check passed", verify, StringComparison.Ordinal);
        Assert.Matches(@"\x1b\[[0-9;]*(32|92|38;5;2|38;5;10|38;2;0;128;0|38;2;0;255;0)m\s*PASS", colours);
        Assert.DoesNotContain(ServerProcess.ApiKey, verify, StringComparison.Ordinal);

        await using var second = new TmuxTerminal();
        var (usage, _) = await second.RunAsync($"{Smsmcp} usage {url}", new Dictionary<string, string> { ["SMSMCP_ADMIN_KEY"] = ServerProcess.AdminKey });
        Assert.Contains("Segments sent today", usage, StringComparison.Ordinal);
        AssertClosedTable(usage);
        Assert.Contains(usage.Split('\n'), l => l.TrimStart().StartsWith("dev", StringComparison.Ordinal));
    }

    /// <summary>The lines from the top border to the bottom one: each within the width, each starting and ending on the border columns.</summary>
    private static List<string> AssertClosedTable(string screen)
    {
        var lines = screen.Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.All(lines, l => Assert.True(l.Length <= TmuxTerminal.Width, $"wider than the terminal: {l}"));
        var top = lines.FindIndex(l => l.TrimStart().StartsWith('┌'));
        var bottom = lines.FindLastIndex(l => l.TrimStart().StartsWith('└'));
        Assert.True(top >= 0 && bottom > top, "no closed table on screen:\n" + screen);
        var table = lines[top..(bottom + 1)];
        var left = table[0].IndexOf('┌', StringComparison.Ordinal);
        var right = table[0].Length - 1;
        Assert.All(table, l =>
        {
            Assert.True(l.Length - 1 == right, $"ragged right border: {l}");
            Assert.Contains(l[left], "┌│├└");
            Assert.Contains(l[right], "┐│┤┘");
        });
        return table;
    }
}
