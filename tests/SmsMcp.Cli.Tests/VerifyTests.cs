using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SmsMcp.Cli.Output;
using SmsMcp.Cli.Tests.Infrastructure;
using SmsMcp.Cli.Verify;
using SmsMcp.EndToEnd.Tests.Infrastructure;

namespace SmsMcp.Cli.Tests;

/// <summary>
/// <c>smsmcp verify</c> against the real standalone server: locked down, every line passes; each deliberate
/// misconfiguration turns exactly its own line red and the exit code says so.
/// </summary>
public sealed class VerifyTests
{
    private static readonly string[] Credentials = ["--key", ServerProcess.ApiKey, "--admin-key", ServerProcess.AdminKey];

    [Fact]
    public async Task LockedDownServer_EveryLinePasses_ExitZero()
    {
        await using var server = await LockedDownServer.StartAsync();

        var (exitCode, lines) = await VerifyRun.RunAsync(server, Credentials);

        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Empty(VerifyRun.Failed(lines));
        // OAuth is off in this configuration: its metadata line is the only one not applicable.
        Assert.Equal(["resource_metadata"], lines.Where(l => l.Value.Status == "skip").Select(l => l.Key));
        Assert.Equal(12, lines.Count);
        Assert.Contains("403", lines["webhook_unsigned"].Reason, StringComparison.Ordinal);
        Assert.Contains("403", lines["webhook_missigned"].Reason, StringComparison.Ordinal);
        Assert.Contains("number_class_blocked", lines["preview_refused"].Reason, StringComparison.Ordinal);
        Assert.Empty(server.OutboxLines());
    }

    [Fact]
    public async Task NoCredentials_CredentialLinesSkip_NothingFails()
    {
        await using var server = await LockedDownServer.StartAsync();

        var (exitCode, lines) = await VerifyRun.RunAsync(server);

        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Equal(["preview_refused", "protocol_version", "resource_metadata", "tools"],
            lines.Where(l => l.Value.Status == "skip").Select(l => l.Key).Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// The server has no switch that turns its Host check off (an empty <c>Mcp:AllowedHosts</c> admits loopback only),
    /// so "no Host allow-list" is an allow-list that admits any name the prober picks — here, the one it picks.
    /// </summary>
    [Fact]
    public async Task HostAllowListAdmitsAForeignName_OnlyTheHostLineFails_ExitOne()
    {
        await using var server = await LockedDownServer.StartAsync(new Dictionary<string, string> { ["Mcp__AllowedHosts__0"] = DeploymentProbe.ForeignHost });

        var (exitCode, lines) = await VerifyRun.RunAsync(server, Credentials);

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.Equal(["foreign_host"], VerifyRun.Failed(lines));
    }

    [Fact]
    public async Task AdminKeyReusedAsCallerKey_OnlyTheAdminLineFails_ExitOne()
    {
        await using var server = await LockedDownServer.StartAsync(new Dictionary<string, string> { ["SMSMCP_DEV_API_KEY"] = ServerProcess.AdminKey });

        var (exitCode, lines) = await VerifyRun.RunAsync(server, "--key", ServerProcess.AdminKey, "--admin-key", ServerProcess.AdminKey);

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.Equal(["admin"], VerifyRun.Failed(lines));
        Assert.Contains("caller", lines["admin"].Reason, StringComparison.Ordinal);
    }

    /// <summary>
    /// Without a Twilio auth token the server cannot check a signature, and it fails closed: the status webhook answers
    /// 404 and applies nothing. This misconfiguration cannot open the webhook, so verify reports it absent (a pass).
    /// </summary>
    [Fact]
    public async Task WebhookTokenUnset_WebhookIsAbsent_NotOpen()
    {
        await using var server = await ServerProcess.StartAsync();

        var (exitCode, lines) = await VerifyRun.RunAsync(server, Credentials);

        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.StartsWith("404", lines["webhook_unsigned"].Reason, StringComparison.Ordinal);
        Assert.StartsWith("404", lines["webhook_missigned"].Reason, StringComparison.Ordinal);
    }

    /// <summary>
    /// The standalone server has no verbose-error switch (and no longer sends a Server banner), so the leaky front end
    /// is a loopback proxy that passes everything through to the locked-down server and adds what a verbose stack
    /// would: a banner header and a stack trace on error answers.
    /// </summary>
    [Fact]
    public async Task VerboseFrontEnd_OnlyTheLeakLineFails_ExitOne()
    {
        await using var server = await LockedDownServer.StartAsync();
        await using var proxy = await LeakyProxy.StartAsync(server.Port);

        var result = await CliRun.RunAsync(["verify", $"http://127.0.0.1:{proxy.Port}", "--json", .. Credentials]);

        var answer = JsonSchemas.AssertValid(result.Output, "verify.schema.json");
        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        var failed = answer["result"]!["checks"]!.AsArray().Where(l => (string)l!["status"]! == "fail").Select(l => (string)l!["id"]!);
        Assert.Equal(["error_leaks"], failed);
    }

    [Fact]
    public async Task NothingListening_ExitsUnavailable()
    {
        var result = await CliRun.RunAsync("verify", $"http://127.0.0.1:{LoopbackPort.Free()}", "--json");

        Assert.Equal(ExitCodes.Unavailable, result.ExitCode);
        Assert.Equal("unreachable", (string?)JsonSchemas.AssertValid(result.Output)["error"]!["code"]);
    }

    /// <summary>
    /// An endpoint that answers every probe with 8 MiB: the first probe stops at its bound and says so. Without the bound
    /// every probe would read its 8 MiB and the run would end in check lines, not this error.
    /// </summary>
    [Fact]
    public async Task OversizedAnswer_StopsAtTheBound_ExitsFailedNamingTheProbe()
    {
        var port = LoopbackPort.Free();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        await using var app = builder.Build();
        var body = new byte[8 * 1024 * 1024];
        app.Run(async context =>
        {
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        });
        await app.StartAsync();

        var result = await CliRun.RunAsync("verify", $"http://127.0.0.1:{port}", "--json");

        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        var error = JsonSchemas.AssertValid(result.Output)["error"];
        Assert.NotNull(error);
        Assert.Equal("answer_too_large", (string?)error["code"]);
        Assert.Contains("GET /mcp with more than 1024 KiB", (string?)error["message"], StringComparison.Ordinal);
    }
}
