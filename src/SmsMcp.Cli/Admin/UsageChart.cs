using Spectre.Console;

namespace SmsMcp.Cli.Admin;

/// <summary>Segments sent today per caller as a bar chart, then each caller's tightest limit.</summary>
internal static class UsageChart
{
    private static readonly Color[] Palette = [Color.Green, Color.Blue, Color.Yellow, Color.Aqua, Color.Fuchsia, Color.Orange1];

    public static void Write(IAnsiConsole console, IReadOnlyList<CallerUsage> callers)
    {
        if (callers.Count == 0)
        {
            console.MarkupLine("[grey]The policy lists no callers.[/]");
            return;
        }

        var today = callers[0].Usage.Today.Period;
        var chart = new BarChart().Label($"Segments sent today ({Markup.Escape(today)} UTC)").Width(Math.Min(console.Profile.Width, 100));
        for (var i = 0; i < callers.Count; i++)
        {
            chart.AddItem(Markup.Escape(callers[i].CallerId), callers[i].Usage.Today.Segments, Palette[i % Palette.Length]);
        }

        console.Write(chart);
        var table = new Table().AddColumn("Caller").AddColumn("Profile").AddColumn("Today msgs/segs").AddColumn("Month msgs/segs")
            .AddColumn("Spend (month)").AddColumn("Tightest limit");
        foreach (var caller in callers)
        {
            var u = caller.Usage;
            var tightest = u.Limits.Where(l => l.Limit > 0).OrderBy(l => l.Remaining / l.Limit).FirstOrDefault();
            table.AddRow(
                Markup.Escape(caller.CallerId),
                Markup.Escape(caller.Profile),
                $"{u.Today.Messages}/{u.Today.Segments}",
                $"{u.ThisMonth.Messages}/{u.ThisMonth.Segments}",
                $"{u.ThisMonth.Spend:0.####} {Markup.Escape(u.Currency)}",
                tightest is null ? "[grey]none declared[/]" : Markup.Escape($"{tightest.Used:0.####}/{tightest.Limit:0.####} {tightest.Metric} per {tightest.Window}"));
        }

        console.Write(table);
    }
}
