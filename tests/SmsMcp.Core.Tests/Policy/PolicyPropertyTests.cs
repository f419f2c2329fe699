using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.Logging.Abstractions;
using SmsMcp.Core.Callers;
using SmsMcp.Core.Phone;
using SmsMcp.Core.Policy;
using SmsMcp.Core.Tests.Infrastructure;

namespace SmsMcp.Core.Tests.Policy;

/// <summary>
/// For random policies and random inputs, nothing outside the allowed set is ever sent. The allowed set is
/// computed here, independently of the engine, from the generated pieces of the policy.
/// </summary>
[Collection(SequentialCollection.Name)]
public sealed class PolicyPropertyTests
{
    private static readonly CallerIdentity Caller = new("agent");

    private static readonly string[] Countries = ["US", "CA", "GB", "DE"];

    /// <summary>Standard-class numbers in four countries, plus special-rate ones that must never pass.</summary>
    private static readonly Gen<string> Numbers = Gen.OneOf(
        Gen.Choose(0, 9999).Select(n => $"+1202555{n:D4}"),
        Gen.Choose(0, 9999).Select(n => $"+1416555{n:D4}"),
        Gen.Choose(0, 999).Select(n => $"+447400123{n:D3}"),
        Gen.Choose(0, 9999).Select(n => $"+491511234{n:D4}"),
        Gen.Elements("+19005550123", "+18005550123", "+80012345678", "+881612345678", "+449098790000"));

    /// <summary>A policy drawn at random, with the facts the reference check needs.</summary>
    private sealed record RandomPolicy(string[] Allow, string[] Deny, string[] AllowPatterns, string[] DenyPatterns, string[] Countries, string[] Aliased)
    {
        public string Json()
        {
            var recipients = new JsonObject();
            for (var i = 0; i < Aliased.Length; i++)
            {
                recipients[$"r{i}"] = new JsonObject { ["number"] = Aliased[i], ["groups"] = new JsonArray(i % 2 == 0 ? "even" : "odd") };
            }

            JsonArray Array(IEnumerable<string> items) => new([.. items.Select(x => (JsonNode)x!)]);
            var policy = new JsonObject
            {
                ["recipients"] = recipients,
                ["profiles"] = new JsonObject
                {
                    ["p"] = new JsonObject
                    {
                        ["allow"] = new JsonObject { ["numbers"] = Array(Allow), ["patterns"] = Array(AllowPatterns) },
                        ["deny"] = new JsonObject { ["numbers"] = Array(Deny), ["patterns"] = Array(DenyPatterns) },
                        ["countries"] = Array(Countries),
                    },
                },
                ["callers"] = new JsonObject { ["agent"] = "p" },
            };
            return policy.ToJsonString();
        }

        /// <summary>The reference: a class allowed by default (standard or VoIP), listed country, allowed by number or pattern, denied by neither.</summary>
        public bool Allows(PhoneNumber number) =>
            number.Class is NumberClass.Standard or NumberClass.Voip
            && Countries.Contains(number.Region)
            && (Allow.Contains(number.E164) || AllowPatterns.Any(p => Fits(p, number.E164)))
            && !(Deny.Contains(number.E164) || DenyPatterns.Any(p => Fits(p, number.E164)));

        private static bool Fits(string pattern, string e164) =>
            pattern.Length == e164.Length && pattern.Zip(e164).All(t => t.First == 'X' || t.First == t.Second);
    }

    private static readonly Gen<string> Patterns =
        from number in Numbers
        from wild in Gen.Choose(1, 4)
        select number[..^wild] + new string('X', wild);

    private static readonly Gen<RandomPolicy> Policies =
        from allow in Gen.ListOf(Numbers)
        from deny in Gen.ListOf(Numbers)
        from allowPatterns in Gen.ListOf(Patterns)
        from denyPatterns in Gen.ListOf(Patterns)
        from countries in Gen.SubListOf(Countries)
        from aliased in Gen.ListOf(Numbers)
        select new RandomPolicy([.. allow.Distinct()], [.. deny.Distinct()], [.. allowPatterns.Take(4)], [.. denyPatterns.Take(3)], [.. countries], [.. aliased.Distinct().Take(5)]);

    /// <summary>Inputs near the policy: its own numbers, their neighbours, aliases in either case, and anything at all.</summary>
    private static Gen<string> InputsFor(RandomPolicy policy) => Gen.OneOf(
        Numbers,
        policy.Allow.Length == 0 ? Numbers : Gen.Elements(policy.Allow),
        policy.Deny.Length == 0 ? Numbers : Gen.Elements(policy.Deny),
        policy.Aliased.Length == 0 ? Numbers : Gen.Choose(0, policy.Aliased.Length - 1).Select(i => $"r{i}"),
        policy.Aliased.Length == 0 ? Numbers : Gen.Choose(0, policy.Aliased.Length - 1).Select(i => $"R{i}"),
        from n in Numbers from d in Gen.Choose(0, 9) select n[..^1] + d,
        ArbMap.Default.ArbFor<string>().Generator);

    private static readonly Gen<(RandomPolicy Policy, string[] Inputs)> Cases =
        from policy in Policies
        from inputs in InputsFor(policy).ArrayOf()
        select (policy, inputs);

    [Fact]
    public void RandomPolicyAndInputs_EngineAllowsExactlyTheReferenceSet()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(Cases.ToArbitrary(), c =>
        {
            var engine = new PolicyEngine(PipelineHarness.ParsePolicy(c.Policy.Json()), PipelineHarness.Shorteners, NullLogger<PolicyEngine>.Instance);
            foreach (var input in c.Inputs)
            {
                var evaluation = engine.Evaluate(Caller, input, "hi");
                var number = Resolve(c.Policy, input);
                var expected = number is not null && c.Policy.Allows(number);
                if (evaluation.Allowed != expected || evaluation.Allowed && evaluation.Recipient!.Number.E164 != number!.E164)
                {
                    return false;
                }
            }

            return true;
        }));
    }

    [Fact]
    public void RandomPolicyAndInputs_ThroughThePipeline_NothingOutsideTheAllowedSetIsSent()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(40), Prop.ForAll(Cases.ToArbitrary(), c =>
        {
            var sent = SendAll(c.Policy, c.Inputs).GetAwaiter().GetResult();
            return sent.All(e164 => PhoneNumberParser.TryParse(e164, out var n, out _) && c.Policy.Allows(n));
        }));
    }

    private static async Task<List<string>> SendAll(RandomPolicy policy, string[] inputs)
    {
        await using var h = await PipelineHarness.CreateAsync(policy: PipelineHarness.ParsePolicy(policy.Json()));
        foreach (var input in inputs)
        {
            await h.SendAsAsync(Caller, input, "hi");
        }

        return h.Outbox().Select(line => JsonDocument.Parse(line).RootElement.GetProperty("to").GetString()!).ToList();
    }

    /// <summary>The number an input names: itself when it parses, the aliased number for "rN".</summary>
    private static PhoneNumber? Resolve(RandomPolicy policy, string? input)
    {
        var trimmed = input?.Trim();
        if (trimmed is null)
        {
            return null;
        }

        // Aliases are names in lower case, matched whatever case the caller typed ("R4" names r4).
        var name = trimmed.ToLowerInvariant();
        if (name.Length > 1 && name[0] == 'r' && int.TryParse(name[1..], out var i) && i < policy.Aliased.Length && name == $"r{i}")
        {
            return PhoneNumberParser.TryParse(policy.Aliased[i], out var aliased, out _) ? aliased : null;
        }

        return trimmed.StartsWith('+') && PhoneNumberParser.TryParse(trimmed, out var number, out _) ? number : null;
    }
}
