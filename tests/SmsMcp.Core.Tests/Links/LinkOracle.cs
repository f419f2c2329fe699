using System.Diagnostics;

namespace SmsMcp.Core.Tests.Links;

/// <summary>
/// The npm linkifiers linkify-it and linkifyjs (tests/peers/linkify-oracle.mjs, run once per corpus by Node from
/// the peers): for each body, whether each finds a link in it.
/// </summary>
internal static class LinkOracle
{
    public static async Task<(bool LinkifyIt, bool Linkifyjs)[]> FindAsync(IReadOnlyList<string> bodies)
    {
        var script = Peers.File("linkify-oracle.mjs");
        Peers.Package("linkify-it");
        Peers.Package("linkifyjs");

        var input = Path.Combine(Path.GetTempPath(), $"smsmcp-link-corpus-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllTextAsync(input, LinkCorpus.ToJsonLines(bodies));
        try
        {
            var info = new ProcessStartInfo(Peers.Node) { WorkingDirectory = RepositoryPaths.Peers, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.ArgumentList.Add(script);
            info.ArgumentList.Add(input);
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
            await process.WaitForExitAsync(timeout.Token);
            var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (process.ExitCode != 0 || lines.Length != bodies.Count)
            {
                throw new InvalidOperationException($"linkify-oracle.mjs exited {process.ExitCode} with {lines.Length} answers for {bodies.Count} bodies: {await stderr}");
            }

            return [.. lines.Select(l => (l[0] == '1', l[1] == '1'))];
        }
        finally
        {
            File.Delete(input);
        }
    }
}
