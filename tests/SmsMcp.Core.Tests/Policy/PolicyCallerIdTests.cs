using System.Text;
using SmsMcp.Core.Policy;
using SmsMcp.Core.Tests.Infrastructure;

namespace SmsMcp.Core.Tests.Policy;

/// <summary>Caller ids are compared exactly; a policy listing two that differ only in letter case is refused at start.</summary>
public sealed class PolicyCallerIdTests
{
    private static string Policy(string callers) => $$"""
        {
          "recipients": { "alice": { "number": "+12025550143" } },
          "profiles": { "agents": { "allow": { "recipients": ["alice"] }, "countries": ["US"] } },
          "callers": { {{callers}} }
        }
        """;

    [Theory]
    [InlineData("dev", "DEV")]
    [InlineData("ops-agent", "Ops-Agent")]
    [InlineData("a.b:c", "A.B:C")]
    public void TwoIdsDifferingOnlyInCase_AreRefused(string first, string second)
    {
        var policy = PolicyLoader.Parse(Encoding.UTF8.GetBytes(Policy($"\"{first}\": \"agents\", \"{second}\": \"agents\"")), PipelineHarness.Shorteners, out var errors);

        Assert.Null(policy);
        Assert.Contains($"callers.{second}: differs from caller '{first}' only in letter case; caller ids are compared exactly, so use distinct ids.", errors);
    }

    [Fact]
    public void Lookup_IsExact()
    {
        var policy = PolicyLoader.Parse(Encoding.UTF8.GetBytes(Policy("\"dev\": \"agents\", \"dev2\": \"agents\"")), PipelineHarness.Shorteners, out var errors);

        Assert.NotNull(policy);
        Assert.Empty(errors);
        Assert.NotNull(policy.ProfileFor("dev"));
        Assert.Null(policy.ProfileFor("DEV"));
        Assert.Null(policy.ProfileFor("Dev"));
    }
}
