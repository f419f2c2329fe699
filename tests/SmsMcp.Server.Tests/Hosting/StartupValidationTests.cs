using System.Net;
using SmsMcp.Server.Hosting;
using SmsMcp.Server.Tests.Infrastructure;

namespace SmsMcp.Server.Tests.Hosting;

/// <summary>Outside Development nothing falls back to local defaults: a missing setting stops the start and is named.</summary>
public sealed class StartupValidationTests
{
    private static readonly string Key = Convert.ToBase64String(new byte[32]);

    private sealed class ProductionFactory(params (string Key, string Value)[] settings) : SmsMcpFactory
    {
        protected override string EnvironmentName => "Production";

        protected override IEnumerable<KeyValuePair<string, string>> Settings =>
            settings.Select(s => new KeyValuePair<string, string>(s.Key, s.Value == "<db>" ? Path.Combine(DataDirectory, "p.db") : s.Value));
    }

    private static Exception StartFailure(SmsMcpFactory factory) => Record.Exception(() => factory.CreateClient())!;

    [Theory]
    [InlineData("Storage:Provider")]
    [InlineData("Sms:Provider")]
    [InlineData("Audit:PseudonymizationKey")]
    public void Production_MissingSetting_RefusesToStartNamingIt(string missing)
    {
        var all = new (string, string)[]
        {
            ("Storage:Provider", "Sqlite"), ("Storage:SqlitePath", "<db>"), ("Sms:Provider", "Sandbox"), ("Audit:PseudonymizationKey", Key),
        };
        using var factory = new ProductionFactory(all.Where(s => s.Item1 != missing).ToArray());
        var failure = StartFailure(factory);
        Assert.NotNull(failure);
        Assert.Contains(missing, failure.ToString(), StringComparison.Ordinal);
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
    [InlineData("Auth:Callers:0:Id", "bad id with spaces", "Auth:Callers:0:Id")]
    [InlineData("Auth:Callers:0:KeySalt", "not-base64", "Auth:Callers:0:KeySalt")]
    [InlineData("Recipients:Aliases:demo", "+1 202 555 0123", "Recipients:Aliases:demo")]
    [InlineData("Recipients:Aliases:Bad Alias", "+12025550123", "Recipients:Aliases")]
    [InlineData("Mcp:MaxRequestBodyBytes", "10", "Mcp:MaxRequestBodyBytes")]
    [InlineData("Audit:PseudonymizationKey", "c2hvcnQ=", "Audit:PseudonymizationKey")]
    [InlineData("Storage:Provider", "Postgres", "Storage:Provider")]
    public void InvalidSetting_RefusesToStartNamingTheField(string key, string value, string named)
    {
        using var factory = new ProductionFactory(
            ("Storage:Provider", "Sqlite"), ("Storage:SqlitePath", "<db>"), ("Sms:Provider", "Sandbox"), ("Audit:PseudonymizationKey", Key),
            ("Auth:Callers:0:Id", "ops"), ("Auth:Callers:0:KeySalt", Convert.ToBase64String(new byte[16])), ("Auth:Callers:0:KeyHash", Key),
            (key, value));
        var failure = StartFailure(factory);
        Assert.NotNull(failure);
        Assert.Contains(named, failure.ToString(), StringComparison.Ordinal);
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
