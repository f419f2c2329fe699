using SmsMcp.Core.Policy;
using SmsMcp.Core.Tests.Infrastructure;

namespace SmsMcp.Core.Tests.Quotas;

/// <summary>
/// Small policies for quota tests: callers <c>dev</c> and <c>dev2</c> share profile <c>limited</c> (whose quotas the
/// test passes), caller <c>free</c> has no quotas; US costs 0.01 per segment, CA has no price.
/// </summary>
public static class QuotaPolicies
{
    public static SendPolicy With(string quotas, string global = "{}") => PipelineHarness.ParsePolicy($$"""
        {
          "recipients": { "demo": { "number": "+12025550123" }, "other": { "number": "+12025550124" } },
          "profiles": {
            "limited": { "allow": { "recipients": ["demo", "other"], "patterns": ["+1NXX55501XX"] }, "countries": ["US", "CA"], "quotas": {{quotas}} },
            "unlimited": { "allow": { "patterns": ["+1NXX55501XX"] }, "countries": ["US", "CA"] }
          },
          "callers": { "dev": "limited", "dev2": "limited", "free": "unlimited" },
          "global": {{global}},
          "pricing": { "currency": "EUR", "perSegment": { "US": 0.01 } }
        }
        """);
}
