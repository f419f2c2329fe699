namespace SmsMcp.Testing;

/// <summary>Where the repository and the built server are, found from the running test or benchmark binaries.</summary>
public static class RepositoryPaths
{
    /// <summary>The repository root: the folder holding Functions.sln above the running binaries.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration the running binaries come from (Debug or Release).</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    /// <summary>The server's build output of the same configuration.</summary>
    public static string ServerOutput => Path.Combine(Root, "src", "SmsMcp.Server", "bin", Configuration, "net10.0");

    public static string ServerDll => Path.Combine(ServerOutput, "SmsMcp.Server.dll");

    /// <summary>
    /// How to start the server under test: the executable SMSMCP_SERVER names (test.sh publishes the server — trimmed,
    /// self-contained, as it ships — and names it, so the end-to-end tests run what an operator runs), else
    /// <c>dotnet</c> with the build output. A <c>.dll</c> named there runs with <c>dotnet</c> too.
    /// </summary>
    public static (string FileName, IReadOnlyList<string> Arguments) Server(params string[] arguments) => Command(ServerPath, arguments);

    /// <summary>How to start <paramref name="server"/>: a <c>.dll</c> with <c>dotnet</c>, an executable itself.</summary>
    public static (string FileName, IReadOnlyList<string> Arguments) Command(string server, params string[] arguments) =>
        server.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? ("dotnet", [server, .. arguments])
            : (server, arguments);

    /// <summary>The server under test: what SMSMCP_SERVER names, else the build output's assembly.</summary>
    public static string ServerPath
    {
        get
        {
            var named = Environment.GetEnvironmentVariable("SMSMCP_SERVER");
            return string.IsNullOrEmpty(named) ? ServerDll : Path.GetFullPath(named);
        }
    }

    /// <summary>The folder the server under test runs from (its appsettings.json is there).</summary>
    public static string ServerDirectory => Path.GetDirectoryName(ServerPath)!;

    /// <summary>tests/peers: the npm lockfile of the real test peers and their scripts.</summary>
    public static string Peers => Path.Combine(Root, "tests", "peers");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Functions.sln not found above " + AppContext.BaseDirectory);
    }
}
