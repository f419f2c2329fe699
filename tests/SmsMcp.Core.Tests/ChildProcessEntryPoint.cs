using SmsMcp.Core.Tests.Storage.Sqlite;

namespace SmsMcp.Core.Tests;

/// <summary>
/// The test assembly doubles as the child process of crash tests (<c>dotnet SmsMcp.Core.Tests.dll MODE …</c>), so the
/// child runs exactly the store code under test. The test runner never calls this.
/// </summary>
internal static class ChildProcessEntryPoint
{
    public static async Task<int> Main(string[] args) => args switch
    {
        [CrashWriter.Mode, var path] => await CrashWriter.RunAsync(path),
        _ => 2,
    };
}
