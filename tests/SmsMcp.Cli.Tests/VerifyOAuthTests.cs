using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SmsMcp.Cli.Tests.Infrastructure;

namespace SmsMcp.Cli.Tests;

/// <summary>
/// The OAuth branch of verify (RFC 9728): a 401 whose Bearer challenge points at the protected resource metadata, and
/// that document's shape. The server's OAuth mode is built separately, so a loopback server answering exactly those
/// two things stands in for it; only the two OAuth lines are asserted.
/// </summary>
public sealed class VerifyOAuthTests
{
    [Theory]
    [InlineData("""{"resource":"{origin}/mcp","authorization_servers":["https://login.example.com/tenant/v2.0"]}""", "pass", "")]
    [InlineData("""{"resource":"https://elsewhere.example/mcp","authorization_servers":["https://login.example.com/t"]}""", "fail", "another origin")]
    [InlineData("""{"resource":"{origin}/mcp","authorization_servers":[]}""", "fail", "authorization_servers")]
    [InlineData("""{"resource":"{origin}/mcp","authorization_servers":["http://login.example.com/t"]}""", "fail", "HTTPS")]
    [InlineData("""{"authorization_servers":["https://login.example.com/t"]}""", "fail", "resource")]
    [InlineData("""not json""", "fail", "not JSON")]
    public async Task MetadataPointer_DocumentChecked(string document, string status, string reason)
    {
        await using var server = await OAuthFront.StartAsync(document);

        var result = await CliRun.RunAsync("verify", server.Origin, "--json");

        var checks = JsonSchemas.AssertValid(result.Output, "verify.schema.json")["result"]!["checks"]!.AsArray()
            .ToDictionary(c => (string)c!["id"]!, c => ((string)c!["status"]!, (string)c["reason"]!));
        Assert.Equal("pass", checks["mcp_unauthenticated"].Item1);
        Assert.Contains("pointing at the protected resource metadata", checks["mcp_unauthenticated"].Item2, StringComparison.Ordinal);
        Assert.Equal(status, checks["resource_metadata"].Item1);
        Assert.Contains(reason, checks["resource_metadata"].Item2, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MetadataPublishedButNotAnnounced_Fails()
    {
        await using var server = await OAuthFront.StartAsync("""{"resource":"{origin}/mcp","authorization_servers":["https://login.example.com/t"]}""", announce: false);

        var result = await CliRun.RunAsync("verify", server.Origin, "--json");

        var line = JsonSchemas.AssertValid(result.Output, "verify.schema.json")["result"]!["checks"]!.AsArray().Single(c => (string)c!["id"]! == "resource_metadata")!;
        Assert.Equal("fail", (string?)line["status"]);
        Assert.Contains("no resource_metadata pointer", (string)line["reason"]!, StringComparison.Ordinal);
        Assert.Equal(1, result.ExitCode);
    }

    private sealed class OAuthFront : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private OAuthFront(WebApplication app, string origin)
        {
            _app = app;
            Origin = origin;
        }

        public string Origin { get; }

        public static async Task<OAuthFront> StartAsync(string document, bool announce = true)
        {
            var origin = $"http://127.0.0.1:{LoopbackPort.Free()}";
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls(origin);
            builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
            var app = builder.Build();
            const string MetadataPath = "/.well-known/oauth-protected-resource/mcp";
            app.MapGet(MetadataPath, () => Results.Text(document.Replace("{origin}", origin, StringComparison.Ordinal), "application/json"));
            app.MapPost("/mcp", (HttpContext context) =>
            {
                context.Response.Headers.WWWAuthenticate = announce ? $"Bearer resource_metadata=\"{origin}{MetadataPath}\"" : "Bearer";
                return Results.StatusCode(StatusCodes.Status401Unauthorized);
            });
            await app.StartAsync();
            return new OAuthFront(app, origin);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
