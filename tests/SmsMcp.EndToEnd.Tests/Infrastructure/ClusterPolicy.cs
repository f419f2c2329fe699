namespace SmsMcp.EndToEnd.Tests.Infrastructure;

/// <summary>Send policies for <see cref="ServerCluster"/> tests: the dev caller may text the fictional <c>demo</c> number.</summary>
public static class ClusterPolicy
{
    /// <summary>No quotas: what limits sends in these tests is the behaviour under test, not a daily cap.</summary>
    public const string Unlimited = """
        {
          "recipients": { "demo": { "number": "+12025550123" } },
          "profiles": { "cluster": { "allow": { "recipients": ["demo"] }, "countries": ["US"] } },
          "callers": { "dev": "cluster" }
        }
        """;
}
