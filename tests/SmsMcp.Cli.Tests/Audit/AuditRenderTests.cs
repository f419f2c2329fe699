using Microsoft.Extensions.Time.Testing;
using SmsMcp.Cli.Tests.Infrastructure;
using SmsMcp.Core.Audit;

namespace SmsMcp.Cli.Tests.Audit;

/// <summary><c>audit verify</c>'s findings table as a real terminal (tmux, 120×40) shows it: closed, within the width, kinds in red.</summary>
public sealed class AuditRenderTests
{
    private static string Smsmcp => $"dotnet {Path.Combine(RepositoryPaths.Root, "src", "SmsMcp.Cli", "bin", RepositoryPaths.Configuration, "net10.0", "smsmcp.dll")}";

    [Fact]
    public async Task TamperedTrail_FindingsTableRendersClosedWithinTheWidth_KindInRed()
    {
        await using var backend = new SqliteAuditTrailBackend();
        await backend.Store.CreateTableIfNotExistsAsync(AuditLog.Table, CancellationToken.None);
        var time = new FakeTimeProvider(new DateTimeOffset(2032, 7, 8, 9, 0, 0, TimeSpan.Zero));
        var sealer = new AuditSealer(AuditTrailBackend.SealKey);
        var log = new AuditLog(backend.Store, sealer, time);
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            var record = new AuditRecord
            {
                Id = AuditLog.NewId(time.GetUtcNow()), Time = time.GetUtcNow(), CallerId = "dev", Tool = "send_sms", BodyHash = new string('4', 64),
                BodyLength = 4, Stage = AuditStage.Completed, Decision = AuditDecision.Denied, ReasonCode = "recipient_not_allowed",
            };
            ids.Add(record.Id);
            await log.RecordAsync(record, CancellationToken.None);
        }

        time.Advance(TimeSpan.FromMinutes(5));
        await new AuditHeadPublisher(backend.Store, sealer, backend.Heads, time).PublishAsync(CancellationToken.None);
        await backend.Store.DeleteAsync(AuditLog.Table, "20320708", ids[1], "*", CancellationToken.None);
        await backend.Store.DeleteAsync(AuditLog.Table, "20320708", ids[3], "*", CancellationToken.None);
        await using var terminal = new TmuxTerminal();

        var (text, colours) = await terminal.RunAsync($"{Smsmcp} audit verify --settings {backend.SettingsFile} --from 2032-07-08 --to 2032-07-08");

        var lines = text.Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.All(lines, l => Assert.True(l.Length <= TmuxTerminal.Width, $"wider than the terminal: {l}"));
        var top = lines.FindIndex(l => l.TrimStart().StartsWith('┌'));
        var bottom = lines.FindLastIndex(l => l.TrimStart().StartsWith('└'));
        Assert.True(top >= 0 && bottom > top, "no closed table on screen:\n" + text);
        var table = lines[top..(bottom + 1)];
        Assert.All(table, l => Assert.Equal(table[0].Length, l.Length));
        Assert.Contains("First problem: deleted", text, StringComparison.Ordinal);
        // Two findings (the gap at place 2, the tail against the head), each with "deleted" in its Kind cell.
        Assert.Equal(2, table.Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"│ deleted\s+│")));
        Assert.Matches(@"\x1b\[[0-9;]*(31|91|38;5;9|38;2;255;0;0)m\s*deleted", colours);
    }
}
