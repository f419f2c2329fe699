using SmsMcp.Http.Mcp;

namespace SmsMcp.Server.Tests.Mcp;

/// <summary>
/// The catalog built in the background at start is the whole tool surface, handed out once; whoever registers later
/// builds a complete catalog of its own, so no host ever shares or misses a tool because of the warm-up.
/// </summary>
public sealed class ToolCatalogWarmUpTests
{
    private static readonly string[] Expected = ["get_message_status", "get_usage", "list_recipients", "preview_sms", "send_sms"];

    [Fact]
    public void TheWarmedCatalogIsTakenOnce_ThenEachTakeBuildsItsOwn_AllWithEveryTool()
    {
        ToolCatalogWarmUp.Start();
        var first = ToolCatalogWarmUp.Take();
        var second = ToolCatalogWarmUp.Take();

        Assert.NotSame(first, second);
        Assert.Equal(Expected, first.Tools.Select(t => t.ProtocolTool.Name).Order(StringComparer.Ordinal));
        Assert.Equal(Expected, second.Tools.Select(t => t.ProtocolTool.Name).Order(StringComparer.Ordinal));
        Assert.All(Expected, name => Assert.NotNull(first.Find(name)?.InputSchema.GetProperty("properties")));
    }
}
