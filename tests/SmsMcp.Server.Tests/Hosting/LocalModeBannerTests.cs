using System.Text.Json;
using SmsMcp.Core.Hosting;
using SmsMcp.Http.Auth;
using SmsMcp.Server.Hosting;

namespace SmsMcp.Server.Tests.Hosting;

public sealed class LocalModeBannerTests
{
    private static readonly SmsMcpEnvironment Environment = SmsMcpEnvironment.Create(true, "/tmp/smsmcp-banner");

    [Fact]
    public void GeneratedKey_IsShownOnce_WithPasteableClientConfiguration()
    {
        var key = new DevelopmentCallerKey(null);
        var text = LocalModeBanner.Render("http://127.0.0.1:7071/mcp", Environment, "/tmp/out.jsonl", key);

        Assert.Contains($"claude mcp add --transport http smsmcp http://127.0.0.1:7071/mcp --header \"Authorization: Bearer {key.Key}\"", text, StringComparison.Ordinal);
        var json = text.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("{\"mcpServers\"", StringComparison.Ordinal));
        var server = JsonDocument.Parse(json).RootElement.GetProperty("mcpServers").GetProperty("smsmcp");
        Assert.Equal("http://127.0.0.1:7071/mcp", server.GetProperty("url").GetString());
        Assert.Equal("Bearer " + key.Key, server.GetProperty("headers").GetProperty("Authorization").GetString());
    }

    [Fact]
    public void KeyFromEnvironment_IsNeverPrinted()
    {
        const string secret = "from-the-environment-0123456789";
        var text = LocalModeBanner.Render("http://127.0.0.1:7071/mcp", Environment, null, new DevelopmentCallerKey(secret));
        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        Assert.Contains("$SMSMCP_DEV_API_KEY", text, StringComparison.Ordinal);
    }

    [Fact]
    public void SandboxProvider_SaysNothingLeaves_AndShowsTheOutbox()
    {
        var text = LocalModeBanner.Render("http://127.0.0.1:7071/mcp", Environment, "/tmp/out.jsonl", new DevelopmentCallerKey(null));

        Assert.Contains("nothing leaves this machine", text, StringComparison.Ordinal);
        Assert.Contains("Sandbox outbox: /tmp/out.jsonl", text, StringComparison.Ordinal);
    }

    [Fact]
    public void RealProvider_NeverClaimsNothingLeaves()
    {
        var text = LocalModeBanner.Render("http://127.0.0.1:7071/mcp", Environment, null, new DevelopmentCallerKey(null));

        Assert.DoesNotContain("nothing leaves", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Sandbox outbox", text, StringComparison.Ordinal);
        Assert.Contains("messages really go out", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ShortDevelopmentKey_IsRefused()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => new DevelopmentCallerKey("short"));
        Assert.Contains(DevelopmentCallerKey.Variable, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("short", failure.Message.Replace("shorter", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
