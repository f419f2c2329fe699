using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using SmsMcp.Infra.Tests.Infrastructure;

namespace SmsMcp.Infra.Tests;

/// <summary>
/// infra/package.sh — the one packaging command, used by azd (azure.yaml) — produces what the Functions host needs,
/// and the worker starts from that folder with the template's settings as far as it can without the host: through the
/// server's whole start-up validation, up to connecting to the host.
/// </summary>
public sealed class PackageTests
{
    [FunctionsProjectFact]
    public async Task Package_HasWhatTheFunctionsHostNeeds_AndTheWorkerStartsUpToTheHost()
    {
        var output = Directory.CreateTempSubdirectory("smsmcp-package-");
        try
        {
            var policy = Path.Combine(Bicep.RepositoryRoot, "policy", "example.production.json");
            var package = await RunAsync("sh", [Path.Combine(Bicep.InfraDirectory, "package.sh"), output.FullName],
                new Dictionary<string, string> { ["SMSMCP_POLICY_FILE"] = policy }, Bicep.RepositoryRoot, TimeSpan.FromMinutes(8));
            Assert.True(package.ExitCode == 0, package.Output);

            AssertHostFiles(output.FullName);
            Assert.Equal(await File.ReadAllBytesAsync(policy), await File.ReadAllBytesAsync(Path.Combine(output.FullName, "policy.json")));

            // The template's settings, with the package's own policy; storage and the identity endpoint on closed
            // loopback ports so nothing leaves this machine.
            var settings = TemplateSettings.Resolved(await TemplateSettings.SmsMcpAsync(Scenario.EntraOff.Name));
            var closed = LoopbackPort.Free();
            settings["Policy__Path"] = Path.Combine(output.FullName, "policy.json");
            settings["Storage__TableServiceUri"] = $"https://127.0.0.1:{closed}";
            settings["IDENTITY_ENDPOINT"] = $"http://127.0.0.1:{closed}/msi/token";
            settings["IDENTITY_HEADER"] = "test";
            settings["DOTNET_ENVIRONMENT"] = "Production";
            settings["AZURE_FUNCTIONS_ENVIRONMENT"] = "Production";
            // What the Functions host passes its worker: where to connect back to (nothing listens there).
            settings["Functions__Worker__HostEndpoint"] = $"http://127.0.0.1:{closed}";
            settings["Functions__Worker__WorkerId"] = "infra-test";
            settings["Functions__Worker__RequestId"] = "infra-test";
            settings["Functions__Worker__GrpcMaxMessageLength"] = "2147483647";

            var worker = await StartWorkerAsync(output.FullName, settings);
            Assert.DoesNotContain("OptionsValidationException", worker.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("Microsoft.KeyVault", worker.Output, StringComparison.Ordinal);
            Assert.True(worker.Output.Contains("Grpc.Core.RpcException", StringComparison.Ordinal),
                "Expected the worker to pass start-up validation and stop only at connecting to the (absent) Functions host:\n" + worker.Output);

            // The same start without a setting the template writes stops at validation, naming it: the check above can fail.
            settings.Remove("Storage__Provider");
            var refused = await StartWorkerAsync(output.FullName, settings);
            Assert.Contains("Storage:Provider", refused.Output, StringComparison.Ordinal);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    private static void AssertHostFiles(string folder)
    {
        var executable = Path.Combine(folder, "SmsMcp.Functions");
        Assert.True(File.Exists(executable), "worker executable");
        Assert.True(File.Exists(Path.Combine(folder, "SmsMcp.Functions.dll")), "worker assembly");

        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "host.json")));
        Assert.Equal("2.0", host.RootElement.GetProperty("version").GetString());

        using var worker = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "worker.config.json")));
        var description = worker.RootElement.GetProperty("description");
        Assert.Equal("dotnet-isolated", description.GetProperty("language").GetString());
        Assert.True(File.Exists(Path.Combine(folder, description.GetProperty("defaultWorkerPath").GetString()!)));

        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "functions.metadata")));
        var functions = metadata.RootElement.EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f.Clone());
        Assert.Contains("anomaly-scan", functions.Keys);
        Assert.Contains("reconcile-status", functions.Keys);
        Assert.Contains("0 */5 * * * *", functions["anomaly-scan"].ToString(), StringComparison.Ordinal);
        Assert.Contains("0 */10 * * * *", functions["reconcile-status"].ToString(), StringComparison.Ordinal);
        Assert.Contains(functions.Values, f => f.ToString().Contains("httpTrigger", StringComparison.Ordinal));
    }

    private static Task<(int ExitCode, string Output)> StartWorkerAsync(string folder, Dictionary<string, string> settings) =>
        RunAsync("dotnet", [Path.Combine(folder, "SmsMcp.Functions.dll")], settings, folder, TimeSpan.FromMinutes(2));

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] arguments,
        IReadOnlyDictionary<string, string> environment, string workingDirectory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
