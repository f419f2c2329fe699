using SmsMcp.Core.Audit;
using SmsMcp.Core.Callers;
using SmsMcp.Core.Tests.Infrastructure;

namespace SmsMcp.Core.Tests.Controls;

/// <summary>A pipeline whose policy lets two callers ("dev" and "other") text "demo": for tests of per-caller controls.</summary>
public static class TwoCallers
{
    public const string Policy = """
        {
          "recipients": { "demo": { "number": "+12025550123" } },
          "profiles": { "p": { "allow": { "recipients": ["demo"] }, "countries": ["US"] } },
          "callers": { "dev": "p", "other": "p" }
        }
        """;

    public static readonly CallerIdentity Other = new("other");

    public static Task<PipelineHarness> CreateAsync() => PipelineHarness.CreateAsync(policy: PipelineHarness.ParsePolicy(Policy));

    /// <summary>The audit records of send_sms calls (not of control changes).</summary>
    public static async Task<List<AuditRecord>> SendRecordsAsync(PipelineHarness h) =>
        [.. (await h.AuditAsync()).Where(r => r.Tool == "send_sms")];
}
