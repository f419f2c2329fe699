namespace SmsMcp.Benchmarks;

/// <summary>
/// The send policy of every benchmark: the dev caller may text <c>demo</c>, under quotas declared far above any run, so
/// the reservation step runs on every send but never refuses one (the development policy's 200 a day would).
/// </summary>
public static class BenchPolicy
{
    public const string Json = """
        {
          "recipients": { "demo": { "number": "+12025550123" } },
          "profiles": { "bench": { "allow": { "recipients": ["demo"] }, "countries": ["US"],
                                   "quotas": { "messagesPerDay": 100000000, "messagesPerMonth": 100000000 } } },
          "callers": { "dev": "bench" }
        }
        """;
}
