using ModelContextProtocol.Client;
using SmsMcp.EndToEnd.Tests.Infrastructure;

namespace SmsMcp.EndToEnd.Tests;

/// <summary>stdio mode with the C# SDK client: same tools and pipeline, and stdout carries only protocol.</summary>
public sealed class StdioModeTests : IDisposable
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("smsmcp-stdio-").FullName;
    private readonly List<string> _stderr = [];

    private static readonly (string FileName, IReadOnlyList<string> Arguments) Server = RepositoryPaths.Server("stdio");

    private StdioClientTransport Transport() => new(new StdioClientTransportOptions
    {
        Name = "smsmcp-stdio",
        Command = Server.FileName,
        Arguments = [.. Server.Arguments],
        EnvironmentVariables = ServerProcess.Environment(_dataDirectory)!,
        StandardErrorLines = line => { lock (_stderr) { _stderr.Add(line); } },
    });

    [Fact]
    public async Task ListsToolsAndSendsToDemo()
    {
        await using var client = await McpClient.CreateAsync(Transport());
        var tools = await client.ListToolsAsync();
        Assert.Contains(tools, t => t.Name == "send_sms");

        var result = await client.CallToolAsync("send_sms", new Dictionary<string, object?> { ["to"] = "demo", ["body"] = "hello over stdio" });
        Assert.NotEqual(true, result.IsError);
        var outbox = File.ReadAllLines(Path.Combine(_dataDirectory, "sandbox-outbox.jsonl"));
        Assert.Single(outbox);
        Assert.Contains("hello over stdio", outbox[0], StringComparison.Ordinal);

        var refused = await client.CallToolAsync("send_sms", new Dictionary<string, object?> { ["to"] = "+447700900123", ["body"] = "no" });
        Assert.True(refused.IsError);
        Assert.Single(File.ReadAllLines(Path.Combine(_dataDirectory, "sandbox-outbox.jsonl")));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
