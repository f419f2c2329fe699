using SmsMcp.Core.Phone;
using SmsMcp.Http;
using SmsMcp.Http.Hosting;
using SmsMcp.Http.Mcp;
using SmsMcp.Server.Hosting;
using SmsMcp.Server.Stdio;

// Modes: "stdio" for local desktop clients, "hash-key" to make an API key, none for the HTTP server.
// (In Azure the same HTTP surface and jobs run in src/SmsMcp.Functions, the isolated worker.)
var commandLine = CommandLine.Parse(args);
if (commandLine.Mode is null or CommandLine.Stdio)
{
    PhoneMetadataWarmUp.Start(); // overlaps the host's start-up; the policy check at start waits for it
    ToolCatalogWarmUp.Start(); // likewise: the MCP registration takes it
}

switch (commandLine.Mode)
{
    case null:
        break;
    case CommandLine.Stdio:
        return await StdioServer.RunAsync([.. commandLine.HostArguments, .. commandLine.ModeArguments]);
    case CommandLine.HashKey:
        return HashKeyCommand.Run(commandLine.ModeArguments, Console.Out, Console.Error);
    default:
        await Console.Error.WriteLineAsync("usage: SmsMcp.Server [stdio | hash-key --caller NAME] [--option value ...]");
        return 2;
}

// appsettings live beside the executable, wherever it is started from (dotnet run, tests, a container).
// The slim builder: Kestrel, configuration, console logging, no IIS, HTTP/3 or hosting-startup scanning, which a
// loopback server never uses and every cold start would pay for. HTTPS endpoints stay configurable as before.
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.WebHost.UseKestrelHttpsConfiguration();
builder.UseLoopbackBinding();
var environment = builder.Services.AddSmsMcpEnvironment(builder.Configuration, builder.Environment);

builder.Services
    .AddSmsMcpHttp(builder.Configuration, environment)
    .AddInProcessSchedule(builder.Configuration);

var app = builder.Build();
app.UseSmsMcpHttp();
app.MapSmsMcpHttp();
app.ShowLocalModeBanner();
await app.RunAsync();
return 0;

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
