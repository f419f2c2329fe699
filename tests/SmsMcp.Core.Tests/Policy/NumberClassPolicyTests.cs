using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using PhoneNumbers;
using SmsMcp.Core.Callers;
using SmsMcp.Core.Phone;
using SmsMcp.Core.Policy;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Core.Tests.Phone;
using SmsMcp.Core.Vocabulary;
using Xunit.Abstractions;

namespace SmsMcp.Core.Tests.Policy;

/// <summary>
/// The class rules through the real policy engine, over every libphonenumber example number: profiles that
/// allow every number of every region (a pattern per calling code and length), so only the class rule can refuse.
/// </summary>
public sealed class NumberClassPolicyTests(ITestOutputHelper output)
{
    private static readonly CallerIdentity Open = new("open");
    private static readonly CallerIdentity NoVoip = new("novoip");

    /// <summary>The classes blocked by default, each re-allowed by a profile of its own (caller = the class name).</summary>
    private static readonly NumberClass[] Blocked = [.. Enum.GetValues<NumberClass>().Where(c => c is not (NumberClass.Standard or NumberClass.Voip))];

    private static readonly PhoneNumberType[] BlockedTypes =
    [
        PhoneNumberType.PREMIUM_RATE, PhoneNumberType.SHARED_COST, PhoneNumberType.PERSONAL_NUMBER, PhoneNumberType.UAN,
        PhoneNumberType.PAGER, PhoneNumberType.VOICEMAIL, PhoneNumberType.TOLL_FREE,
    ];

    private static readonly Lazy<PolicyEngine> Engine = new(() =>
        new PolicyEngine(PipelineHarness.ParsePolicy(PolicyJson()), PipelineHarness.Shorteners, NullLogger<PolicyEngine>.Instance));

    private static string PolicyJson()
    {
        var util = PhoneNumberUtil.GetInstance();
        var patterns = new JsonArray();
        foreach (var code in util.GetSupportedCallingCodes().Order())
        {
            var digits = code.ToString(CultureInfo.InvariantCulture);
            for (var length = Math.Max(PhoneNumberParser.MinDigits, digits.Length + 1); length <= PhoneNumberParser.MaxDigits; length++)
            {
                patterns.Add($"+{digits}{new string('X', length - digits.Length)}");
            }
        }

        var countries = new JsonArray([.. ExampleNumbers.Regions.Append("001").Select(r => (JsonNode)r!)]);
        JsonObject Profile(string? list = null, string? name = null)
        {
            var profile = new JsonObject { ["allow"] = new JsonObject { ["patterns"] = patterns.DeepClone() }, ["countries"] = countries.DeepClone() };
            if (list is not null)
            {
                profile[list] = new JsonArray(name);
            }

            return profile;
        }

        var profiles = new JsonObject { ["open"] = Profile(), ["novoip"] = Profile("denyNumberClasses", nameof(NumberClass.Voip)) };
        var callers = new JsonObject { ["open"] = "open", ["novoip"] = "novoip" };
        foreach (var numberClass in Blocked)
        {
            var name = numberClass.ToString().ToLowerInvariant();
            profiles[name] = Profile("allowNumberClasses", numberClass.ToString());
            callers[name] = name;
        }

        return new JsonObject { ["recipients"] = new JsonObject(), ["profiles"] = profiles, ["callers"] = callers }.ToJsonString();
    }

    private static string? RefusalOf(CallerIdentity caller, ExampleNumber example) => Engine.Value.Evaluate(caller, example.E164, "hi").Refusal?.Code;

    private static CallerIdentity ReAllowing(NumberClass numberClass) => new(numberClass.ToString().ToLowerInvariant());

    [Fact]
    public void SpecialRateExample_OfEveryRegion_IsNumberClassBlocked_UnlessItsOwnClassIsReAllowed()
    {
        var examples = ExampleNumbers.OfType(BlockedTypes).ToList();
        output.WriteLine($"special-rate examples: {examples.Count}; {string.Join(", ", examples.GroupBy(e => e.Type).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"))}");
        Assert.True(examples.Count >= 500);

        var failures = new List<string>();
        foreach (var example in examples)
        {
            Assert.True(PhoneNumberParser.TryParse(example.E164, out var number, out _));
            if (RefusalOf(Open, example) != ReasonCodes.NumberClassBlocked)
            {
                failures.Add($"{example}: open profile answered {RefusalOf(Open, example) ?? "allowed"}");
            }

            foreach (var other in Blocked.Where(c => c != number.Class))
            {
                if (RefusalOf(ReAllowing(other), example) != ReasonCodes.NumberClassBlocked)
                {
                    failures.Add($"{example}: profile re-allowing {other} answered {RefusalOf(ReAllowing(other), example) ?? "allowed"}");
                }
            }

            if (RefusalOf(ReAllowing(number.Class), example) is { } refusal)
            {
                failures.Add($"{example}: profile re-allowing {number.Class} still refused with {refusal}");
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public void NonGeographicExample_IsNumberClassBlocked_UnlessItsOwnClassIsReAllowed()
    {
        var examples = ExampleNumbers.All.Where(e => e.Region == "001").ToList();
        output.WriteLine($"non-geographic examples: {examples.Count} ({string.Join(", ", examples.Select(e => $"+{e.CallingCode} {e.Type}"))})");
        Assert.Contains(examples, e => e.CallingCode == 870);
        Assert.Contains(examples, e => e.CallingCode == 881);
        Assert.Contains(examples, e => e.CallingCode == 882);
        Assert.Contains(examples, e => e.CallingCode == 883);

        Assert.All(examples, example =>
        {
            Assert.True(PhoneNumberParser.TryParse(example.E164, out var number, out _));
            Assert.Equal(ReasonCodes.NumberClassBlocked, RefusalOf(Open, example));
            Assert.Equal(ReasonCodes.NumberClassBlocked, RefusalOf(NoVoip, example));
            Assert.Null(RefusalOf(ReAllowing(number.Class), example));
        });
    }

    [Fact]
    public void MobileAndFixedLineExample_OfEveryRegion_PassesTheNumberChecks()
    {
        var examples = ExampleNumbers.OfType(PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE).Where(e => e.Region != "001").ToList();
        output.WriteLine($"mobile examples: {examples.Count(e => e.Type == PhoneNumberType.MOBILE)}, fixed-line examples: {examples.Count(e => e.Type == PhoneNumberType.FIXED_LINE)}");
        Assert.True(examples.Count(e => e.Type == PhoneNumberType.MOBILE) >= 240);

        var failures = examples.Where(e => RefusalOf(Open, e) is not null || RefusalOf(NoVoip, e) is not null)
            .Select(e => $"{e}: {RefusalOf(Open, e)}")
            .ToList();

        Assert.Empty(failures);
    }

    [Fact]
    public void VoipExample_PassesByDefault_AndIsNumberClassBlockedWhereAProfileDeniesVoip()
    {
        var examples = ExampleNumbers.OfType(PhoneNumberType.VOIP).Where(e => e.Region != "001").ToList();
        output.WriteLine($"VoIP examples: {examples.Count}");
        Assert.True(examples.Count >= 50);

        Assert.All(examples, example =>
        {
            Assert.Null(RefusalOf(Open, example));
            Assert.Equal(ReasonCodes.NumberClassBlocked, RefusalOf(NoVoip, example));
        });
    }
}
