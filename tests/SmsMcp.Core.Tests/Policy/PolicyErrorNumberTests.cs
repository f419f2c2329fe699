using System.Text;
using SmsMcp.Core.Policy;
using SmsMcp.Core.Tests.Infrastructure;

namespace SmsMcp.Core.Tests.Policy;

/// <summary>A phone number typed where a name belongs is refused with an error that does not repeat it (errors are printed at start-up).</summary>
public sealed class PolicyErrorNumberTests
{
    private const string Policy = """
        {
          "recipients": { "alice": { "number": "+12025550143", "groups": ["oncall"] } },
          "profiles": { "agents": { "allow": { "recipients": ["alice"], "groups": ["oncall"] }, "countries": ["US"] } },
          "callers": { "ops": "agents" }
        }
        """;

    [Theory]
    [InlineData("\"recipients\": [\"alice\"]", "\"recipients\": [\"+12025550123\"]", "profiles.agents.allow.recipients[0]: not a valid alias (to list a number, use 'numbers').")]
    [InlineData("\"groups\": [\"oncall\"] },", "\"groups\": [\"+12025550123\"] },", "profiles.agents.allow.groups[0]: not a valid group name.")]
    [InlineData("\"groups\": [\"oncall\"] } }", "\"groups\": [\"+12025550123\"] } }", "recipients.alice.groups[0]: not a valid group name")]
    [InlineData("\"alice\": {", "\"+12025550123\": {", "recipients: a key is not a valid alias")]
    [InlineData("\"agents\": {", "\"+12025550123\": {", "profiles: a key is not a valid profile name")]
    [InlineData("\"ops\": \"agents\"", "\"+12025550123\": \"agents\"", "callers: a key is not a valid caller id")]
    [InlineData("\"ops\": \"agents\"", "\"ops\": \"+12025550123\"", "callers.ops: not a valid profile name.")]
    public void NumberWhereANameBelongs_IsRefused_WithoutRepeatingIt(string find, string replace, string expected)
    {
        var json = Policy.Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(Policy, json);

        var policy = PolicyLoader.Parse(Encoding.UTF8.GetBytes(json), PipelineHarness.Shorteners, out var errors);

        Assert.Null(policy);
        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
        Assert.All(errors, e => Assert.DoesNotContain("2025550123", e, StringComparison.Ordinal));
    }

    [Fact]
    public void UnknownWellFormedAlias_IsNamed()
    {
        var policy = PolicyLoader.Parse(Encoding.UTF8.GetBytes(Policy.Replace("[\"alice\"]", "[\"bob\"]", StringComparison.Ordinal)), PipelineHarness.Shorteners, out var errors);

        Assert.Null(policy);
        Assert.Contains("profiles.agents.allow.recipients[0]: unknown recipient 'bob' (not in the recipients directory).", errors);
    }
}
