using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using SmsMcp.Core.Callers;
using SmsMcp.Core.Policy;
using SmsMcp.Core.Tests.Infrastructure;

namespace SmsMcp.Core.Tests.Policy;

/// <summary>The profile's <c>confirm</c> and <c>confirmFallback</c>: read as written, defaulting to no confirmation, and a wrong value stops the load naming the field.</summary>
public sealed class ConfirmRuleParsingTests
{
    private static string Policy(string rules) => $$"""
        {
          "profiles": { "p": { "allow": { "patterns": ["+1NXX55501XX"] }, "countries": ["US"]{{rules}} } },
          "callers": { "agent": "p" }
        }
        """;

    [Theory]
    [InlineData("", ConfirmMode.None, ConfirmFallback.Refuse)]
    [InlineData(", \"confirm\": \"none\"", ConfirmMode.None, ConfirmFallback.Refuse)]
    [InlineData(", \"confirm\": \"client\"", ConfirmMode.Client, ConfirmFallback.Refuse)]
    [InlineData(", \"confirm\": \"client\", \"confirmFallback\": \"refuse\"", ConfirmMode.Client, ConfirmFallback.Refuse)]
    [InlineData(", \"confirm\": \"client\", \"confirmFallback\": \"approval\"", ConfirmMode.Client, ConfirmFallback.Approval)]
    public void ConfirmRules_AreReadAsWritten(string rules, ConfirmMode mode, ConfirmFallback fallback)
    {
        var policy = PipelineHarness.ParsePolicy(Policy(rules));

        Assert.Equal((mode, fallback), (policy.Profiles["p"].Confirm, policy.Profiles["p"].ConfirmFallback));
        var engine = new PolicyEngine(policy, PipelineHarness.Shorteners, NullLogger<PolicyEngine>.Instance);
        Assert.Equal((mode, fallback, "p"), engine.ConfirmationFor(new CallerIdentity("agent")));
        Assert.Equal((ConfirmMode.None, ConfirmFallback.Refuse, (string?)null), engine.ConfirmationFor(new CallerIdentity("stranger")));
    }

    [Theory]
    [InlineData(", \"confirm\": \"human\"", "profiles.p.confirm: 'human' is not a confirmation mode")]
    [InlineData(", \"confirm\": true", "profiles.p.confirm")]
    [InlineData(", \"confirm\": \"client\", \"confirmFallback\": \"allow\"", "profiles.p.confirmFallback: 'allow' is not a confirmation fallback")]
    [InlineData(", \"confirmFallback\": \"approval\"", "profiles.p.confirmFallback: applies only to a profile with \"confirm\": \"client\"")]
    [InlineData(", \"confirm\": \"none\", \"confirmFallback\": \"refuse\"", "profiles.p.confirmFallback: applies only to a profile with \"confirm\": \"client\"")]
    public void WrongConfirmRules_StopTheLoadWithTheFieldPath(string rules, string expected)
    {
        Assert.Null(PolicyLoader.Parse(Encoding.UTF8.GetBytes(Policy(rules)), PipelineHarness.Shorteners, out var errors));
        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }
}
