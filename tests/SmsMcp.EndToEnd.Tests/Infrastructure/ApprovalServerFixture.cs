namespace SmsMcp.EndToEnd.Tests.Infrastructure;

/// <summary>One real server process whose dev caller needs first-contact approval.</summary>
public sealed class ApprovalServerFixture : IAsyncLifetime
{
    private const string Policy = """
        {
          "recipients": { "demo": { "number": "+12025550123" } },
          "profiles": { "careful": { "allow": { "recipients": ["demo"] }, "countries": ["US"], "approval": "firstContact" } },
          "callers": { "dev": "careful" }
        }
        """;

    private readonly string _policyPath = Path.Combine(Path.GetTempPath(), $"smsmcp-e2e-policy-{Guid.NewGuid():N}.json");
    private ServerProcess? _server;

    public ServerProcess Server => _server ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_policyPath, Policy);
        _server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["Policy__Path"] = _policyPath });
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        File.Delete(_policyPath);
    }
}
