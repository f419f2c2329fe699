using System.Net;
using SmsMcp.Server.Hosting;
using SmsMcp.Server.Tests.Infrastructure;

namespace SmsMcp.Server.Tests.Hosting;

/// <summary>
/// Production configuration in process. (Start refusals are tested against the real process in
/// SmsMcp.EndToEnd.Tests/StartupRefusalTests: an in-process host that fails to start races with its own disposal.)
/// </summary>
public sealed class StartupValidationTests
{
    private static readonly string Key = Convert.ToBase64String(new byte[32]);

    private sealed class ProductionFactory(params (string Key, string Value)[] settings) : SmsMcpFactory
    {
        protected override string EnvironmentName => "Production";

        protected override IEnumerable<KeyValuePair<string, string>> Settings =>
            settings.Select(s => new KeyValuePair<string, string>(s.Key, s.Value == "<db>" ? Path.Combine(DataDirectory, "p.db") : s.Value));
    }

    [Fact]
    public async Task Production_FullyConfigured_StartsWithoutADevelopmentCaller()
    {
        using var factory = new ProductionFactory(
            ("Storage:Provider", "Sqlite"), ("Storage:SqlitePath", "<db>"), ("Sms:Provider", "Sandbox"), ("Audit:PseudonymizationKey", Key));
        using var response = await factory.CreateClient().SendAsync(McpHttp.Post(McpHttp.Request("ping")));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData(null, 7071)]
    [InlineData("", 7071)]
    [InlineData("40123", 40123)]
    public void Port_ComesFromTheFunctionsHost(string? configured, int expected) =>
        Assert.Equal(expected, CustomHandlerBinding.ResolvePort(configured));

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("70000")]
    [InlineData("-1")]
    public void Port_Invalid_IsRefusedNamingTheVariable(string configured)
    {
        var failure = Assert.Throws<InvalidOperationException>(() => CustomHandlerBinding.ResolvePort(configured));
        Assert.Contains(CustomHandlerBinding.PortVariable, failure.Message, StringComparison.Ordinal);
    }
}
