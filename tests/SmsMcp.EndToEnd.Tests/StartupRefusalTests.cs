using SmsMcp.EndToEnd.Tests.Infrastructure;

namespace SmsMcp.EndToEnd.Tests;

/// <summary>
/// Outside Development nothing falls back to local defaults: the real executable, started as the Functions
/// host starts it, exits with an error naming the missing or invalid setting — and never echoing its value.
/// </summary>
public sealed class StartupRefusalTests : IDisposable
{
    private static readonly string Key = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("smsmcp-refusal-").FullName;

    private Dictionary<string, string> ProductionSettings() => new()
    {
        ["DOTNET_ENVIRONMENT"] = "Production",
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["Storage__Provider"] = "Sqlite",
        ["Storage__SqlitePath"] = Path.Combine(_dataDirectory, "p.db"),
        ["Sms__Provider"] = "Sandbox",
        ["Sms__Sandbox__OutboxPath"] = Path.Combine(_dataDirectory, "outbox.jsonl"),
        ["Audit__PseudonymizationKey"] = Key,
        ["Policy__Path"] = Path.Combine(RepositoryPaths.Root, "policy", "example.production.json"),
        ["Auth__Callers__0__Id"] = "ops",
        ["Auth__Callers__0__KeySalt"] = Convert.ToBase64String(new byte[16]),
        ["Auth__Callers__0__KeyHash"] = Key,
        ["ASPNETCORE_URLS"] = "http://127.0.0.1:" + LoopbackPort.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static IEnumerable<object?[]> Refusals() =>
    [
        ["Storage__Provider", null, "Storage:Provider"],
        ["Sms__Provider", null, "Sms:Provider"],
        ["Audit__PseudonymizationKey", null, "Audit:PseudonymizationKey"],
        ["Policy__Path", null, "Policy:Path"],
        ["Policy__Path", "/nonexistent/policy.json", "Policy:Path"],
        ["Storage__Provider", "Postgres", "Storage:Provider"],
        ["Sms__Provider", "Carrier-pigeon", "Sms:Provider"],
        ["Audit__PseudonymizationKey", "c2hvcnQtc2VjcmV0", "Audit:PseudonymizationKey"],
        ["Auth__Callers__0__Id", "bad id with spaces", "Auth:Callers:0:Id"],
        ["Auth__Callers__0__KeySalt", "not-base64-at-all!", "Auth:Callers:0:KeySalt"],
        ["Mcp__MaxRequestBodyBytes", "10", "Mcp:MaxRequestBodyBytes"],
        ["ForwardedHeaders__Enabled", "true", "ForwardedHeaders"],
        ["ForwardedHeaders__KnownProxies__0", "not-an-address", "ForwardedHeaders"],
        ["Schedule__Jobs__no-such-job", "false", "Schedule:Jobs"],
    ];

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task MissingOrInvalidSetting_ExitsNamingIt(string variable, string? value, string named)
    {
        var settings = ProductionSettings();
        if (value is null)
        {
            settings.Remove(variable);
        }
        else
        {
            settings[variable] = value;
        }

        var (server, arguments) = RepositoryPaths.Server();
        var run = await ProcessRunner.RunAsync(server, arguments, settings, _dataDirectory, TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains(named, run.StandardOutput + run.StandardError, StringComparison.Ordinal);
        if (value is not null && variable.Contains("Key", StringComparison.Ordinal))
        {
            Assert.DoesNotContain(value, run.StandardOutput + run.StandardError, StringComparison.Ordinal);
        }
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
