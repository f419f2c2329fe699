using System.Text;
using SmsMcp.Core.Callers;
using SmsMcp.Core.Lookup;
using SmsMcp.Core.Phone;
using SmsMcp.Core.Policy;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Core.Vocabulary;
using SmsMcp.Infrastructure.Sandbox;

namespace SmsMcp.Core.Tests.Lookup;

/// <summary>The policy's <c>lookup</c> object (strict, with defaults) and the sandbox's offline lookup.</summary>
public sealed class LookupPolicyTests
{
    [Fact]
    public void NoLookupObject_Off()
    {
        var profile = Profile(null);

        Assert.Same(LookupRules.Off, profile.Lookup);
        Assert.Equal(LookupMode.Off, profile.Lookup.Mode);
    }

    [Fact]
    public void EmptyObject_Defaults()
    {
        var rules = Profile("{}").Lookup;

        Assert.Equal((LookupMode.Off, 60, LookupFallback.Refuse, 100L), (rules.Mode, rules.MaxSmsPumpingRisk, rules.OnUnavailable, rules.MaxPerDay));
        Assert.Equal(["pager", "premium", "sharedCost", "tollFree", "uan", "voicemail"], rules.BlockedLineTypes.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EveryField_Read()
    {
        var rules = Profile("""{ "mode": "firstContact", "blockLineTypes": ["nonFixedVoip", "unknown"], "maxSmsPumpingRisk": 0, "onUnavailable": "allow", "maxPerDay": 7 }""").Lookup;

        Assert.Equal((LookupMode.FirstContact, 0, LookupFallback.Allow, 7L), (rules.Mode, rules.MaxSmsPumpingRisk, rules.OnUnavailable, rules.MaxPerDay));
        Assert.Equal(["nonFixedVoip", "unknown"], rules.BlockedLineTypes.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EmptyBlockList_BlocksNoLineType()
    {
        Assert.Empty(Profile("""{ "mode": "firstContact", "blockLineTypes": [] }""").Lookup.BlockedLineTypes);
    }

    [Theory]
    [InlineData("""{ "mode": "firstContact", "maxRisk": 50 }""", "profiles.p.lookup: unknown property 'maxRisk'.")]
    [InlineData("""{ "mode": "always" }""", "profiles.p.lookup.mode: 'always' is not a lookup mode")]
    [InlineData("""{ "mode": "" }""", "profiles.p.lookup.mode: must be a non-empty string.")]
    [InlineData("""{ "blockLineTypes": ["mobile", "Premium"] }""", "profiles.p.lookup.blockLineTypes[1]: 'Premium' is not a Twilio Lookup line type")]
    [InlineData("""{ "blockLineTypes": "premium" }""", "profiles.p.lookup.blockLineTypes: must be an array.")]
    [InlineData("""{ "maxSmsPumpingRisk": 101 }""", "profiles.p.lookup.maxSmsPumpingRisk: must be an integer from 0 to 100.")]
    [InlineData("""{ "maxSmsPumpingRisk": -1 }""", "profiles.p.lookup.maxSmsPumpingRisk: must be an integer from 0 to 100.")]
    [InlineData("""{ "maxSmsPumpingRisk": 60.5 }""", "profiles.p.lookup.maxSmsPumpingRisk: must be an integer from 0 to 100.")]
    [InlineData("""{ "maxPerDay": 0 }""", "profiles.p.lookup.maxPerDay: must be an integer from 1 to 1000000.")]
    [InlineData("""{ "maxPerDay": 1000001 }""", "profiles.p.lookup.maxPerDay: must be an integer from 1 to 1000000.")]
    [InlineData("""{ "maxPerDay": "10" }""", "profiles.p.lookup.maxPerDay: must be an integer from 1 to 1000000.")]
    [InlineData("""{ "onUnavailable": "ignore" }""", "profiles.p.lookup.onUnavailable: 'ignore' is not a choice")]
    [InlineData("""{ "mode": "firstContact", "mode": "off" }""", "profiles.p.lookup: duplicate property 'mode'.")]
    [InlineData("\"firstContact\"", "profiles.p.lookup: must be an object.")]
    public void Invalid_RefusedWithTheFieldPath(string lookup, string error)
    {
        var policy = PolicyLoader.Parse(Encoding.UTF8.GetBytes(Document(lookup)), PipelineHarness.Shorteners, out var errors);

        Assert.Null(policy);
        Assert.Contains(errors, e => e.StartsWith(error, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("+18005550100", "tollFree")]
    [InlineData("+19005550100", "premium")]
    [InlineData("+12025550123", "mobile")]
    [InlineData("+447400123456", "mobile")]
    [InlineData("+445612345678", "nonFixedVoip")]
    [InlineData("+81570123456", "uan")]
    public async Task SandboxLookup_AnswersFromTheNumberRanges(string e164, string lineType)
    {
        Assert.True(PhoneNumberParser.TryParse(e164, out var number, out _));

        var answer = await new SandboxNumberLookup().LookupAsync(number, CancellationToken.None);

        Assert.Equal(new NumberLookupAnswer(true, lineType, 0), answer);
    }

    [Fact]
    public async Task SandboxLookup_ReAllowedFreephoneClass_StillRefusedAsTollFree_OrdinaryNumberSent()
    {
        // A profile may re-allow a number class by range; the lookup still blocks the line type it reports.
        var policy = PipelineHarness.ParsePolicy("""
            {
              "profiles": { "p": { "allow": { "patterns": ["+1800555XXXX", "+1NXX55501XX"] }, "countries": ["US"], "allowNumberClasses": ["Freephone"], "lookup": { "mode": "firstContact" } } },
              "callers": { "dev": "p" }
            }
            """);
        await using var h = await PipelineHarness.CreateAsync(policy: policy);

        var freephone = await h.SendAsync("+18005550100", "hello");
        var ordinary = await h.SendAsync("+12025550123", "hello");

        Assert.Equal(ReasonCodes.LineTypeBlocked, freephone.Refusal?.Code);
        Assert.Null(ordinary.Refusal);
        Assert.Single(h.Outbox());
    }

    [Fact]
    public async Task DevelopmentPolicy_NoLookup_LocalSendsUnchanged()
    {
        await using var h = await PipelineHarness.CreateAsync();

        var outcome = await h.SendAsync("demo", "hello");

        Assert.All(PipelineHarness.DevelopmentPolicy().Profiles.Values, p => Assert.Equal(LookupMode.Off, p.Lookup.Mode));
        Assert.Null(outcome.Refusal);
    }

    private static string Document(string? lookup) => $$"""
        {
          "profiles": { "p": { "allow": { "patterns": ["+1NXX55501XX"] }, "countries": ["US"]{{(lookup is null ? "" : $", \"lookup\": {lookup}")}} } },
          "callers": { "dev": "p" }
        }
        """;

    private static PolicyProfile Profile(string? lookup) => PipelineHarness.ParsePolicy(Document(lookup)).ProfileFor(new CallerIdentity("dev").Id)!;
}
