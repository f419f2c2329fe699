using SmsMcp.Core.Hosting;
using SmsMcp.Http.Admin;
using SmsMcp.Http.Auth;
using SmsMcp.Http.Mcp;
using SmsMcp.Http.Webhooks;
using SmsMcp.Infrastructure.Hosting;
using SmsMcp.Server.Hosting;
using SmsMcp.Server.Stdio;

// Modes: "stdio" for local desktop clients, "hash-key" to make an API key, none for the HTTP server
// (standalone, or as the Azure Functions custom handler).
var commandLine = CommandLine.Parse(args);
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

// appsettings live beside the executable, wherever it is started from (dotnet run, tests, the Functions host).
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.UseCustomHandlerBinding();
var environment = builder.Services.AddSmsMcpEnvironment(builder.Configuration, builder.Environment);

builder.Services
    .AddSmsMcpCore(builder.Configuration, environment)
    .AddCallerAuthentication(builder.Configuration, environment)
    .AddMcpEndpoint(builder.Configuration)
    .AddTwilioWebhooks(builder.Configuration)
    .AddAdminEndpoint(builder.Configuration)
    .AddFunctionInvocations();

var app = builder.Build();
app.MapMcp();
app.MapTwilioStatus();
app.MapAdmin();
app.MapFunctionInvocations();
app.ShowLocalModeBanner();
await app.RunAsync();
return 0;

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
