using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using SmsMcp.Core.Hosting;
using SmsMcp.Core.Providers;
using SmsMcp.Http.Auth;
using SmsMcp.Http.Mcp;
using SmsMcp.Infrastructure.Sandbox;

namespace SmsMcp.Server.Hosting;

/// <summary>
/// In Development, prints the endpoint and ready-to-paste client configuration once the server listens.
/// Written to the console directly, not through logging: a generated key is shown here once and must not
/// end up in log sinks.
/// </summary>
public static class LocalModeBanner
{
    public static WebApplication ShowLocalModeBanner(this WebApplication app, TextWriter? output = null)
    {
        var environment = app.Services.GetRequiredService<SmsMcpEnvironment>();
        var key = app.Services.GetService<DevelopmentCallerKey>();
        if (!environment.IsDevelopment || key is null)
        {
            return app;
        }

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                ?? $"http://127.0.0.1:{LoopbackBinding.StandalonePort}";
            // Development may run with Twilio: then messages really go out, and the banner must not say otherwise.
            var outbox = app.Services.GetRequiredService<ISmsProvider>() is SandboxSmsProvider
                ? app.Services.GetRequiredService<IOptions<SandboxOptions>>().Value.OutboxPath
                : null;
            (output ?? Console.Out).Write(Render(address.TrimEnd('/') + McpEndpoints.Path, environment, outbox, key));
        });
        return app;
    }

    /// <param name="outbox">The sandbox outbox; null when the provider is not the sandbox (messages really go out).</param>
    public static string Render(string url, SmsMcpEnvironment environment, string? outbox, DevelopmentCallerKey key)
    {
        var provider = outbox is null
            ? "SmsMcp is running in local mode with a real SMS provider: messages really go out."
            : $"SmsMcp is running in local mode: sandbox provider, nothing leaves this machine.{Environment.NewLine}  Sandbox outbox: {outbox}";
        var shownKey = key.WasGenerated ? key.Key : "$" + DevelopmentCallerKey.Variable;
        var json = new JsonObject
        {
            ["mcpServers"] = new JsonObject
            {
                ["smsmcp"] = new JsonObject
                {
                    ["type"] = "http",
                    ["url"] = url,
                    ["headers"] = new JsonObject { ["Authorization"] = "Bearer " + shownKey },
                },
            },
        }.ToJsonString();
        return $"""

            {provider}
              MCP endpoint:   {url}
              Data directory: {environment.DataDirectory}
              API key for caller '{DevelopmentCallerKey.CallerId}': {(key.WasGenerated ? key.Key + "  (generated; shown only now - set " + DevelopmentCallerKey.Variable + " to fix it)" : "from " + DevelopmentCallerKey.Variable)}

            Claude Code:
              claude mcp add --transport http smsmcp {url} --header "Authorization: Bearer {shownKey}"

            mcpServers entry (Claude Desktop via mcp-remote, VS Code, others: see README):
              {json}

            """;
    }
}
