using SmsMcp.Core.Audit;
using SmsMcp.Core.Callers;
using SmsMcp.Core.Phone;
using SmsMcp.Core.Quotas;
using SmsMcp.Core.Vocabulary;

namespace SmsMcp.Core.Tests.Quotas;

public sealed class QuotaPlannerTests
{
    private static readonly Pseudonymizer Pseudonymizer = new(new byte[32]);

    [Fact]
    public void Plan_ReservesCallerRecipientPrefixGlobal_InOrder_KeysHoldNoDigitsOfTheNumber()
    {
        var planner = new QuotaPlanner(QuotaPolicies.With("""{ "messagesPerHour": 5, "perRecipientPerDay": 3, "perPrefixPerDay": 9 }""", """{ "spendPerDay": 5 }"""), Pseudonymizer);
        Assert.True(PhoneNumberParser.TryParse("+12025550123", out var number, out _));

        var plan = planner.Plan(new CallerIdentity("dev"), number, 2);

        Assert.Null(plan.Refusal);
        Assert.Equal([QuotaScopeKind.Caller, QuotaScopeKind.Recipient, QuotaScopeKind.Prefix, QuotaScopeKind.Global], plan.Scopes.Select(s => s.Kind).ToArray());
        Assert.Equal(new QuotaCharge(1, 2, 20_000), plan.Charge);
        Assert.All(plan.Scopes, s => Assert.DoesNotContain("202555", s.PartitionKey, StringComparison.Ordinal));
        Assert.Equal(Pseudonymizer.Prefix("+1202555"), plan.Scopes[2].PartitionKey.Split(':')[^1]);
        Assert.Equal(Pseudonymizer.Recipient("+12025550123"), plan.Scopes[1].PartitionKey.Split(':')[^1]);
    }

    [Fact]
    public void Plan_CallerWithoutLimits_IsCountedAfterEveryLimitedScope()
    {
        var planner = new QuotaPlanner(QuotaPolicies.With("""{ "perPrefixPerDay": 9 }""", """{ "messagesPerDay": 5 }"""), Pseudonymizer);
        Assert.True(PhoneNumberParser.TryParse("+12025550123", out var number, out _));

        var plan = planner.Plan(new CallerIdentity("dev"), number, 1);

        Assert.Equal([QuotaScopeKind.Prefix, QuotaScopeKind.Global, QuotaScopeKind.Caller], plan.Scopes.Select(s => s.Kind).ToArray());
        Assert.Empty(plan.Scopes[^1].Limits);
    }

    [Fact]
    public void Plan_WithoutLimits_ReservesOnlyTheCallerScope()
    {
        var planner = new QuotaPlanner(QuotaPolicies.With("{}"), Pseudonymizer);
        Assert.True(PhoneNumberParser.TryParse("+14165550123", out var number, out _));

        var plan = planner.Plan(new CallerIdentity("free"), number, 1);

        Assert.Null(plan.Refusal);
        var scope = Assert.Single(plan.Scopes);
        Assert.Equal((QuotaScopeKind.Caller, 0), (scope.Kind, scope.Limits.Count));
        Assert.Equal(0, plan.Charge.SpendMicros);
    }

    [Fact]
    public void Plan_UnderAGlobalSpendCap_WithoutAPrice_IsPriceUnknown()
    {
        var planner = new QuotaPlanner(QuotaPolicies.With("{}", """{ "spendPerMonth": 5 }"""), Pseudonymizer);
        Assert.True(PhoneNumberParser.TryParse("+14165550123", out var number, out _));

        Assert.Equal(ReasonCodes.PriceUnknown, planner.Plan(new CallerIdentity("free"), number, 1).Refusal?.Code);
    }
}
