using Microsoft.Extensions.Logging.Abstractions;
using SmsMcp.Core.Callers;
using SmsMcp.Core.Policy;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Core.Vocabulary;

namespace SmsMcp.Core.Tests.Policy;

/// <summary>What the engine allows, and the rules that only an allowed case can show (deny beats allow, re-allowed classes, list_recipients).</summary>
public sealed class PolicyEngineTests
{
    private const string Policy = """
        {
          "recipients": {
            "alice": { "number": "+12025550143", "groups": ["oncall"] },
            "bob": { "number": "+12025550144", "groups": ["oncall"] },
            "carol": { "number": "+447400123456", "groups": ["uk"] },
            "hotline": { "number": "+18005550123" }
          },
          "profiles": {
            "oncall": {
              "allow": { "groups": ["oncall"], "numbers": ["+12025550150"], "patterns": ["+1202555016X"] },
              "deny": { "recipients": ["bob"], "numbers": ["+12025550165"] },
              "countries": ["US"],
              "content": { "maxSegments": 2, "urls": { "mode": "allowList", "domains": ["example.com"] } }
            },
            "freephone": { "allow": { "recipients": ["hotline", "carol"] }, "countries": ["US"], "allowNumberClasses": ["Freephone"] }
          },
          "callers": { "ops": "oncall", "support": "freephone" }
        }
        """;

    private static readonly CallerIdentity Ops = new("ops");

    private static PolicyEngine Engine(string json = Policy) =>
        new(PipelineHarness.ParsePolicy(json), PipelineHarness.Shorteners, NullLogger<PolicyEngine>.Instance);

    [Theory]
    [InlineData("alice")]
    [InlineData("ALICE")]
    [InlineData("+12025550143")]
    [InlineData("+12025550150")]
    [InlineData("+12025550160")]
    [InlineData("+12025550169")]
    public void AllowedByAliasGroupNumberOrPattern_IsAllowed(string to) =>
        Assert.True(Engine().Evaluate(Ops, to, "hi").Allowed);

    [Theory]
    [InlineData("bob")]
    [InlineData("+12025550144")]
    [InlineData("+12025550165")]
    [InlineData("+12025550170")]
    [InlineData("hotline")]
    [InlineData("carol")]
    public void DeniedOrUnlisted_IsRecipientNotAllowed_DenyBeatsAllow(string to) =>
        Assert.Equal(ReasonCodes.RecipientNotAllowed, Engine().Evaluate(Ops, to, "hi").Refusal?.Code);

    [Fact]
    public void RawNumberOfAnAlias_ResolvesToTheAlias() =>
        Assert.Equal("alice", Engine().Evaluate(Ops, "+12025550143", "hi").Recipient?.Alias);

    [Fact]
    public void ReAllowedClass_PassesOnlyForThatProfile()
    {
        var engine = Engine();
        Assert.True(engine.Evaluate(new CallerIdentity("support"), "hotline", "hi").Allowed);
        Assert.Equal(ReasonCodes.NumberClassBlocked, engine.Evaluate(Ops, "+18005550123", "hi").Refusal?.Code);
        // Allowed by alias but outside the profile's countries: the country rule still holds.
        Assert.Equal(ReasonCodes.CountryNotAllowed, engine.Evaluate(new CallerIdentity("support"), "carol", "hi").Refusal?.Code);
    }

    [Fact]
    public void ListRecipients_ShowsOnlyWhatTheProfileAllows_Masked()
    {
        var engine = Engine();
        var list = engine.List(Ops);
        var alice = Assert.Single(list);
        Assert.Equal(("alice", "US"), (alice.Alias, alice.Region));
        Assert.DoesNotContain("2025550143", alice.MaskedNumber, StringComparison.Ordinal);
        Assert.Equal(["hotline"], engine.List(new CallerIdentity("support")).Select(r => r.Alias));
    }

    [Fact]
    public void UnknownCaller_GetsNothing()
    {
        var engine = Engine();
        var stranger = new CallerIdentity("stranger");
        Assert.Empty(engine.List(stranger));
        Assert.Equal(ReasonCodes.CallerNotPermitted, engine.Evaluate(stranger, "alice", "hi").Refusal?.Code);
    }

    [Fact]
    public void Refusals_NeverNameAllowedNumbersOrAliases()
    {
        var engine = Engine();
        foreach (var to in new[] { "bob", "+12025550170", "+18005550123", "+447911123456", "zed" })
        {
            var message = engine.Evaluate(Ops, to, "hi").Refusal!.Message;
            Assert.DoesNotContain("alice", message, StringComparison.Ordinal);
            Assert.DoesNotContain("555", message, StringComparison.Ordinal);
            Assert.DoesNotContain("example.com", message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("See https://example.com/status")]
    [InlineData("See example.com")]
    [InlineData("See https://status.example.com/x?y=1#z")]
    [InlineData("Mail ops@example.com")]
    [InlineData("Pi is 3.14, version 1.2.3, at 10:30, cost $3.50.")]
    [InlineData("e.g. this, i.e. that")]
    [InlineData("Family 👨\u200D👩\u200D👧 and ❤️\u200D🔥")]
    [InlineData("Line one\nLine two\r\n\tIndented")]
    [InlineData("Grüße, ça va? ñ 日本語")]
    public void OrdinaryTextAndAllowedLinks_AreAllowed(string body) =>
        Assert.True(Engine().Evaluate(Ops, "alice", body).Allowed, Engine().Evaluate(Ops, "alice", body).Refusal?.Code);

    [Theory]
    [InlineData(306, 'a')]
    [InlineData(152, '€')]
    [InlineData(134, 'ж')]
    public void SegmentBoundary_AtTheMaximum_IsAllowed(int count, char c) =>
        Assert.True(Engine().Evaluate(Ops, "alice", new string(c, count)).Allowed);

    [Fact]
    public async Task DevelopmentPolicy_SendsToDemoAndFictionalRange_AuditCarriesVersion()
    {
        await using var h = await PipelineHarness.CreateAsync();
        Assert.NotNull((await h.SendAsync("demo", "hi")).Result);
        Assert.NotNull((await h.SendAsync("+13125550100", "hi")).Result);
        Assert.NotNull((await h.SendAsync("+14165550199", "hi")).Result);
        Assert.All(await h.AuditAsync(), r => Assert.Equal(h.Policy.Version, r.PolicyVersion));
        Assert.Matches("^sha256:[0-9a-f]{64}$", h.Policy.Version);
    }

    [Fact]
    public void Version_IgnoresByteOrderMarkAndLineEndings()
    {
        var lf = PolicyLoader.Parse(System.Text.Encoding.UTF8.GetBytes(Policy.ReplaceLineEndings("\n")), PipelineHarness.Shorteners, out _)!;
        var crlf = PolicyLoader.Parse([0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes(Policy.ReplaceLineEndings("\r\n"))], PipelineHarness.Shorteners, out _)!;
        var other = PolicyLoader.Parse(System.Text.Encoding.UTF8.GetBytes(Policy.Replace("\"ops\"", "\"ops2\"", StringComparison.Ordinal)), PipelineHarness.Shorteners, out _)!;
        Assert.Equal(lf.Version, crlf.Version);
        Assert.NotEqual(lf.Version, other.Version);
    }

    [Fact]
    public void ShippedPolicies_AreValid()
    {
        foreach (var file in new[] { "development.json", "example.production.json" })
        {
            var path = Path.Combine(RepositoryPaths.Root, "policy", file);
            var policy = PolicyLoader.Parse(File.ReadAllBytes(path), PipelineHarness.Shorteners, out var errors);
            Assert.True(policy is not null, string.Join("; ", errors));
        }

        Assert.Equal(PolicyLoader.DevelopmentPolicyBytes(), File.ReadAllBytes(Path.Combine(RepositoryPaths.Root, "policy", "development.json")));
    }

}
