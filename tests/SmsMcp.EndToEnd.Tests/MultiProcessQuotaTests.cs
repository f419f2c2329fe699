using System.Globalization;
using SmsMcp.EndToEnd.Tests.Infrastructure;

namespace SmsMcp.EndToEnd.Tests;

/// <summary>
/// Issue 4's exactness test with real processes: four servers on one Azurite, 64 concurrent <c>send_sms</c> calls at
/// each (256 at once) against a limit of 50 → exactly 50 accepted, every other call refused with the limit's reason
/// code, exactly 50 outbox lines. One case per kind of limit: the caller's daily quota, the spend cap, the per-prefix
/// quota and the global quota.
/// </summary>
[Collection(MultiProcessCollection.Name)]
public sealed class MultiProcessQuotaTests
{
    private const int Processes = 4;
    private const int CallsPerProcess = 64;
    private const int Limit = 50;

    public static TheoryData<string, string, bool> Limits() => new()
    {
        // Limit kind, policy, whether every call goes to a different number (so only the prefix is shared).
        { "quota_exceeded", Policy(profileQuotas: $$"""{ "messagesPerDay": {{Limit}} }"""), false },
        // One GSM-7 segment at 0.01 each: a cap of 0.50 allows exactly 50 sends.
        { "spend_cap_exceeded", Policy(profileQuotas: """{ "spendPerDay": 0.5 }"""), false },
        { "prefix_quota_exceeded", Policy(profileQuotas: $$"""{ "perPrefixPerDay": {{Limit}} }"""), true },
        { "global_quota_exceeded", Policy(global: $$"""{ "messagesPerDay": {{Limit}} }"""), false },
    };

    [Theory]
    [MemberData(nameof(Limits))]
    public async Task TwoHundredFiftySixConcurrentSendsOverFourProcesses_ExactlyTheLimitIsSent(string reasonCode, string policy, bool distinctNumbers)
    {
        await using var azurite = await AzuriteEmulator.StartAsync();
        // This test is about exactness, not latency: 256 requests at once queue up inside one Azurite process on two
        // shared cores, and an operation slower than its deadline is refused storage_unavailable (fail closed), which
        // would hide the quota's answer. So the deadlines are generous here (the cluster's 1 s is for outage tests).
        await using var cluster = await ServerCluster.StartAsync(azurite, Processes, policy, new Dictionary<string, string>
        {
            ["Storage__RequestTimeout"] = "00:00:20",
            ["Quotas__ContentionDeadline"] = "00:00:20",
        });

        var results = await cluster.SendManyAsync(Processes * CallsPerProcess, i => ServerCluster.SendSms(
            distinctNumbers ? "+120255501" + (i % 100).ToString("00", CultureInfo.InvariantCulture) : "demo",
            "scale-out check " + i.ToString(CultureInfo.InvariantCulture)));

        var accepted = results.Where(r => !r.IsError).ToList();
        var refused = results.Where(r => r.IsError).ToList();
        Assert.Equal(Limit, accepted.Count);
        Assert.All(refused, r => Assert.Equal(reasonCode, r.ReasonCode));
        Assert.Equal(Limit, accepted.Select(r => r.MessageId).Distinct().Count());
        Assert.Equal(Limit, cluster.OutboxLines().Count);
    }

    private static string Policy(string profileQuotas = "{}", string global = "{}") => $$"""
        {
          "recipients": { "demo": { "number": "+12025550123" } },
          "profiles": {
            "cluster": {
              "allow": { "recipients": ["demo"], "patterns": ["+120255501XX"] },
              "countries": ["US"],
              "quotas": {{profileQuotas}}
            }
          },
          "callers": { "dev": "cluster" },
          "global": {{global}},
          "pricing": { "currency": "USD", "perSegment": { "US": 0.01 } }
        }
        """;
}
