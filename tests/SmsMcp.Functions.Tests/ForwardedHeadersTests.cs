using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SmsMcp.Functions.Tests.Infrastructure;

namespace SmsMcp.Functions.Tests;

/// <summary>
/// <c>X-Forwarded-Host</c>/<c>X-Forwarded-Proto</c> count only when configured, from a configured proxy, in both hosts;
/// off by default even though the worker's ASP.NET Core integration would honour them from any loopback peer.
/// </summary>
public sealed class ForwardedHeadersTests
{
    private static TestRequest ForwardedFrom(string host) =>
        TestRequest.McpPost(TestRequest.JsonRpc("tools/list")) with
        {
            Headers = [.. TestRequest.McpPost("{}").Headers, new("X-Forwarded-Host", host), new("X-Forwarded-Proto", "https")],
        };

    [Fact]
    public async Task Default_BothHostsIgnoreForwardedHeaders()
    {
        await using var worker = await Worker.StartAsync();
        using var standalone = new StandaloneServer();

        Assert.Equal(ForwardedHeaders.None, worker.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value.ForwardedHeaders);
        Assert.Equal(ForwardedHeaders.None, standalone.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value.ForwardedHeaders);

        // A forwarded foreign host from loopback (where the Functions host proxies from) changes nothing: still allowed.
        Assert.Equal(StatusCodes.Status200OK, (await worker.SendAsync(ForwardedFrom("evil.example"), IPAddress.Loopback)).Status);
        Assert.Equal(StatusCodes.Status200OK, (await standalone.SendAsync(ForwardedFrom("evil.example"))).Status);
    }

    [Fact]
    public async Task Enabled_FromAKnownProxy_TheForwardedHostIsTheOneChecked()
    {
        await using var worker = await Worker.StartAsync(new("ForwardedHeaders:Enabled", "true"), new("ForwardedHeaders:KnownProxies:0", "127.0.0.1"));
        var options = worker.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;
        Assert.Equal(ForwardedHeaders.XForwardedHost | ForwardedHeaders.XForwardedProto, options.ForwardedHeaders);
        Assert.Equal([IPAddress.Loopback], options.KnownProxies);
        Assert.Empty(options.KnownIPNetworks);

        Assert.Equal(StatusCodes.Status403Forbidden, (await worker.SendAsync(ForwardedFrom("evil.example"), IPAddress.Loopback)).Status);
        Assert.Equal(StatusCodes.Status200OK, (await worker.SendAsync(ForwardedFrom("localhost"), IPAddress.Loopback)).Status);

        // From anyone else the headers are ignored.
        Assert.Equal(StatusCodes.Status200OK, (await worker.SendAsync(ForwardedFrom("evil.example"), IPAddress.Parse("10.1.2.3"))).Status);
    }

    [Theory]
    [InlineData("true", null)]
    [InlineData("true", "not-an-address")]
    [InlineData("false", "300.1.1.1")]
    public async Task InvalidSettings_StopTheWorker(string enabled, string? proxy)
    {
        KeyValuePair<string, string>[] settings = proxy is null
            ? [new("ForwardedHeaders:Enabled", enabled)]
            : [new("ForwardedHeaders:Enabled", enabled), new("ForwardedHeaders:KnownProxies:0", proxy)];
        await using var worker = await Worker.StartAsync(settings);

        var failure = Assert.Throws<OptionsValidationException>(() => worker.Services.GetRequiredService<IOptions<SmsMcp.Http.Hosting.ForwardedHeadersSettings>>().Value);
        Assert.Contains("ForwardedHeaders", failure.Message, StringComparison.Ordinal);
    }
}
