using System.Text;
using SmsMcp.Core.Phone;
using SmsMcp.Core.Policy;
using SmsMcp.Core.Tests.Infrastructure;

namespace SmsMcp.Core.Tests.Policy;

/// <summary>The policy document's class lists: every class name is read as the enum spells it, and a wrong list stops the load.</summary>
public sealed class NumberClassRuleParsingTests
{
    private static string Policy(string classRules) => $$"""
        {
          "profiles": { "p": { "allow": { "patterns": ["+1NXX55501XX"] }, "countries": ["US"]{{classRules}} } },
          "callers": { "agent": "p" }
        }
        """;

    private static IReadOnlyList<string> Errors(string classRules)
    {
        Assert.Null(PolicyLoader.Parse(Encoding.UTF8.GetBytes(Policy(classRules)), PipelineHarness.Shorteners, out var errors));
        return errors;
    }

    private static readonly NumberClass[] Blocked = [.. Enum.GetValues<NumberClass>().Where(c => !PolicyProfile.IsAllowedByDefault(c))];

    public static TheoryData<NumberClass> BlockedByDefault => [.. Blocked];

    public static TheoryData<NumberClass> AnyButStandard => [.. Enum.GetValues<NumberClass>().Where(c => c != NumberClass.Standard)];

    [Theory]
    [MemberData(nameof(BlockedByDefault))]
    public void AllowNumberClasses_ReAllowsEachBlockedClassByName(NumberClass numberClass)
    {
        var profile = PipelineHarness.ParsePolicy(Policy($", \"allowNumberClasses\": [\"{numberClass}\"]")).Profiles["p"];

        Assert.False(new PolicyProfile("q", profile.Allow, profile.Deny, profile.Countries, new HashSet<NumberClass>(), profile.Content, profile.Quotas).AllowsClass(numberClass));
        Assert.True(profile.AllowsClass(numberClass));
        Assert.All(Blocked.Where(c => c != numberClass), other => Assert.False(profile.AllowsClass(other)));
    }

    [Theory]
    [MemberData(nameof(AnyButStandard))]
    public void DenyNumberClasses_RefusesTheClass_StandardStillPasses(NumberClass numberClass)
    {
        var profile = PipelineHarness.ParsePolicy(Policy($", \"denyNumberClasses\": [\"{numberClass}\"]")).Profiles["p"];

        Assert.False(profile.AllowsClass(numberClass));
        Assert.True(profile.AllowsClass(NumberClass.Standard));
    }

    [Fact]
    public void Voip_IsAllowedByDefault_AndOnlyDenyNumberClassesRefusesIt()
    {
        Assert.True(PipelineHarness.ParsePolicy(Policy("")).Profiles["p"].AllowsClass(NumberClass.Voip));
        Assert.False(PipelineHarness.ParsePolicy(Policy(", \"denyNumberClasses\": [\"Voip\"]")).Profiles["p"].AllowsClass(NumberClass.Voip));
    }

    [Theory]
    [InlineData(", \"allowNumberClasses\": [\"Standard\"]", "profiles.p.allowNumberClasses[0]: 'Standard' is not a number class that can be re-allowed")]
    [InlineData(", \"allowNumberClasses\": [\"Voip\"]", "profiles.p.allowNumberClasses[0]: 'Voip' is not a number class that can be re-allowed")]
    [InlineData(", \"allowNumberClasses\": [\"premium\"]", "profiles.p.allowNumberClasses[0]: 'premium' is not a number class that can be re-allowed")]
    [InlineData(", \"allowNumberClasses\": [\"3\"]", "profiles.p.allowNumberClasses[0]: The value is not a number class")]
    [InlineData(", \"denyNumberClasses\": [\"Standard\"]", "profiles.p.denyNumberClasses[0]: 'Standard' is not a number class that can be denied")]
    [InlineData(", \"denyNumberClasses\": [\"VoIP\"]", "profiles.p.denyNumberClasses[0]: 'VoIP' is not a number class that can be denied")]
    [InlineData(", \"allowNumberClasses\": [\"Uan\"], \"denyNumberClasses\": [\"Uan\"]", "profiles.p.denyNumberClasses: 'Uan' is also in allowNumberClasses")]
    [InlineData(", \"denyNumberClasses\": \"Voip\"", "profiles.p.denyNumberClasses")]
    public void WrongClassList_StopsTheLoadWithTheFieldPath(string classRules, string expected) =>
        Assert.Contains(Errors(classRules), e => e.StartsWith(expected, StringComparison.Ordinal));

    [Fact]
    public void NumberTypedAsAClass_IsNeverEchoed()
    {
        var errors = Errors(", \"denyNumberClasses\": [\"+447400123456\"]");

        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.DoesNotContain("7400123456", e, StringComparison.Ordinal));
    }

    [Fact]
    public void EveryClassName_IsInTheSchemaAndTheReadme()
    {
        // policy.schema.json and the README name the classes too; a class added to the enum must reach both.
        var root = RepositoryPaths.Root;
        var schema = File.ReadAllText(Path.Combine(root, "policy", "policy.schema.json"));
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        Assert.All(Enum.GetNames<NumberClass>().Where(n => n != nameof(NumberClass.Standard)), name =>
        {
            Assert.Contains($"\"{name}\"", schema, StringComparison.Ordinal);
            Assert.Contains($"`{name}`", readme, StringComparison.Ordinal);
        });
    }
}
