using SmsMcp.EndToEnd.Tests.Infrastructure;

namespace SmsMcp.EndToEnd.Tests;

/// <summary>
/// The end-to-end tests run the server as it ships: test.sh publishes it (self-contained, the framework trimmed) and
/// names the executable in SMSMCP_SERVER. A trimmer that cut something the server reaches only by reflection shows up
/// as a failing end-to-end test — but only if the tests really run that publish, which is what this checks.
/// </summary>
public sealed class PublishedServerTests
{
    [Fact]
    public async Task ServerUnderTest_IsTheTrimmedSelfContainedPublish_WhenTheTestCommandNamesIt()
    {
        var named = Environment.GetEnvironmentVariable("SMSMCP_SERVER");
        if (Environment.GetEnvironmentVariable("CI") == "true")
        {
            // Under CI the fallback to the build output would quietly test something other than what ships.
            Assert.False(string.IsNullOrEmpty(named), "SMSMCP_SERVER is not set: run the tests with ./test.sh, which publishes the server.");
        }

        await using var server = await ServerProcess.StartAsync();
        var executable = new FileInfo($"/proc/{server.ProcessId}/exe").ResolveLinkTarget(returnFinalTarget: true)!.FullName;
        var coreLibrary = File.ReadLines($"/proc/{server.ProcessId}/maps")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 6 && fields[5].EndsWith("/System.Private.CoreLib.dll", StringComparison.Ordinal))
            .Select(fields => fields[5])
            .First();

        if (string.IsNullOrEmpty(named))
        {
            Assert.Equal("dotnet", Path.GetFileName(executable));
            return;
        }

        var publish = RepositoryPaths.ServerDirectory;
        if (!named.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Equal(RepositoryPaths.ServerPath, executable);
        }

        // Self-contained: the runtime comes from the publish, not from the machine's shared framework.
        Assert.Equal(Path.Combine(publish, "System.Private.CoreLib.dll"), coreLibrary);
        // Trimmed: the published core library is well under the shared framework's (about 9 of 15 MB here).
        var shared = new FileInfo(typeof(object).Assembly.Location).Length;
        Assert.True(new FileInfo(coreLibrary).Length < shared * 3 / 4,
            $"The published System.Private.CoreLib.dll ({new FileInfo(coreLibrary).Length} bytes) is not trimmed (shared: {shared}).");
    }
}
