using System.Net;
using SmsMcp.Server.Hosting;
using SmsMcp.Server.Tests.Infrastructure;

namespace SmsMcp.Server.Tests.Hosting;

/// <summary>Outside Development nothing falls back to local defaults: a missing setting stops the start and is named.</summary>
public sealed class StartupValidationTests
{
    private static readonly string Key = Convert.ToBase64String(new byte[32]);

    /// <summary>A valid production policy: the shipped example.</summary>
    private static readonly string ExamplePolicy = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "policy", "example.production.json"));

    /// <summary>
    /// Production settings; "&lt;db&gt;" becomes a database in the data directory and "&lt;policy&gt;" a file there holding
    /// <paramref name="policy"/> (the shipped example unless a test passes another).
    /// </summary>
    private sealed class ProductionFactory(string? policy, params (string Key, string Value)[] settings) : SmsMcpFactory
    {
        public ProductionFactory(params (string Key, string Value)[] settings)
            : this(null, settings)
        {
        }

        protected override string EnvironmentName => "Production";

        protected override IEnumerable<KeyValuePair<string, string>> Settings =>
            settings.Select(s => new KeyValuePair<string, string>(s.Key, s.Value switch
            {
                "<db>" => Path.Combine(DataDirectory, "p.db"),
                "<policy>" => WritePolicy(),
                _ => s.Value,
            }));

        private string WritePolicy()
        {
            var path = Path.Combine(DataDirectory, "policy.json");
            File.WriteAllText(path, policy ?? ExamplePolicy);
            return path;
        }
    }

    [Fact]
    public async Task Production_FullyConfigured_StartsWithoutADevelopmentCaller()
    {
        using var factory = new ProductionFactory(
            ("Storage:Provider", "Sqlite"), ("Storage:SqlitePath", "<db>"), ("Sms:Provider", "Sandbox"), ("Audit:PseudonymizationKey", Key),
            ("Policy:Path", "<policy>"));
        using var response = await factory.CreateClient().SendAsync(McpJsonRpc.Post(McpJsonRpc.Request("ping"), SmsMcpFactory.ApiKey));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    /// <summary>A small valid policy the malformed cases below break one field at a time.</summary>
    private const string BasePolicy = """
        {
          "recipients": { "demo": { "number": "+12025550123", "groups": ["team"] } },
          "profiles": {
            "agents": {
              "allow": { "recipients": ["demo"], "groups": ["team"], "numbers": ["+12025550124"], "patterns": ["+1NXX55501XX"] },
              "countries": ["US", "CA"],
              "content": { "maxSegments": 3, "urls": { "mode": "deny" }, "denyPatterns": ["(?i)password"] },
              "quotas": { "messagesPerDay": 10, "messagesPerMonth": 100 }
            }
          },
          "callers": { "ops": "agents" }
        }
        """;

    public static TheoryData<string, string, string> MalformedPolicies => new()
    {
        { "{ \"profiles\": ", "", "(document): not valid JSON" },
        { "[]", "", "(document): must be an object" },
        { "\"callers\": { \"ops\": \"agents\" }", "\"callers\": { \"ops\": \"agents\" }, \"extra\": 1", "(document): unknown property 'extra'" },
        { "\"callers\": { \"ops\": \"agents\" }", "\"callers\": { \"ops\": \"agents\" }, \"callers\": {}", "(document): duplicate property 'callers'" },
        { ",\n  \"callers\": { \"ops\": \"agents\" }", "", "(document): missing required property 'callers'" },
        { "\"demo\": { \"number\"", "\"Demo X\": { \"number\"", "recipients: a key is not a valid alias" },
        { "\"+12025550123\", \"groups\"", "\"+1 202 555 0123\", \"groups\"", "recipients.demo.number: not a valid E.164 number" },
        { "\"groups\": [\"team\"] }", "\"groups\": [\"Team!\"] }", "recipients.demo.groups[0]: not a valid group name" },
        { "\"recipients\": [\"demo\"]", "\"recipients\": [\"bob\"]", "profiles.agents.allow.recipients[0]: unknown recipient 'bob'" },
        { "\"groups\": [\"team\"], \"numbers\"", "\"groups\": [\"teem\"], \"numbers\"", "profiles.agents.allow.groups[0]: unknown group 'teem'" },
        { "\"numbers\": [\"+12025550124\"]", "\"numbers\": [\"12025550124\"]", "profiles.agents.allow.numbers[0]: not a valid E.164 number" },
        { "\"+1NXX55501XX\"", "\"+1NXX5550?XX\"", "profiles.agents.allow.patterns[0]: a pattern is '+' then digits" },
        { "\"+1NXX55501XX\"", "\"+XNXX55501XX\"", "profiles.agents.allow.patterns[0]: a pattern must start with a complete, assigned country calling code" },
        { "\"+1NXX55501XX\"", "\"+1NX\"", "profiles.agents.allow.patterns[0]: a pattern covers 6 to 15 digits" },
        { "\"allow\": {", "\"allow\": { \"people\": [],", "profiles.agents.allow: unknown property 'people'" },
        { "\"countries\": [\"US\", \"CA\"]", "\"countries\": [\"US\", \"CA\", \"XX\"]", "profiles.agents.countries[2]: 'XX' is not an ISO 3166-1 alpha-2 code" },
        { "\"countries\": [\"US\", \"CA\"]", "\"countries\": [\"us\"]", "profiles.agents.countries[0]: 'us' is not an ISO 3166-1 alpha-2 code" },
        { "\"countries\": [\"US\", \"CA\"]", "\"countries\": \"US\"", "profiles.agents.countries: must be an array" },
        { "\"countries\": [\"US\", \"CA\"],", "", "profiles.agents: missing required property 'countries'" },
        { "\"countries\": [\"US\", \"CA\"]", "\"countries\": [\"US\"], \"allowNumberClasses\": [\"Expensive\"]", "profiles.agents.allowNumberClasses[0]: 'Expensive' is not a number class" },
        { "\"countries\": [\"US\", \"CA\"]", "\"countries\": [\"US\"], \"allowNumberClasses\": [\"Standard\"]", "profiles.agents.allowNumberClasses[0]: 'Standard' is not a number class" },
        { "\"maxSegments\": 3", "\"maxSegments\": 0", "profiles.agents.content.maxSegments: must be an integer from 1 to 24" },
        { "\"maxSegments\": 3", "\"maxSegments\": \"3\"", "profiles.agents.content.maxSegments: must be an integer from 1 to 24" },
        { "\"mode\": \"deny\"", "\"mode\": \"allow\"", "profiles.agents.content.urls.mode: 'allow' is not a URL mode" },
        { "\"mode\": \"deny\"", "\"mode\": \"allowList\"", "profiles.agents.content.urls: missing required property 'domains'" },
        { "\"mode\": \"deny\"", "\"mode\": \"deny\", \"domains\": [\"example.com\"]", "profiles.agents.content.urls.domains: domains apply only with mode" },
        { "\"mode\": \"deny\"", "\"mode\": \"allowList\", \"domains\": [\"bit.ly\"]", "profiles.agents.content.urls.domains[0]: 'bit.ly' is a public URL shortener" },
        { "\"mode\": \"deny\"", "\"mode\": \"allowList\", \"domains\": [\"exämple.com\"]", "profiles.agents.content.urls.domains[0]: 'exämple.com' is not a lower-case ASCII domain" },
        { "\"mode\": \"deny\"", "\"mode\": \"allowList\", \"domains\": [\"xn--exmple-cua.com\"]", "profiles.agents.content.urls.domains[0]" },
        { "\"(?i)password\"", "\"(unclosed\"", "profiles.agents.content.denyPatterns[0]: not a valid .NET regular expression" },
        { "\"denyPatterns\"", "\"denyPatternTimeoutMs\": 0, \"denyPatterns\"", "profiles.agents.content.denyPatternTimeoutMs: must be an integer from 1 to 2000" },
        { "\"messagesPerDay\": 10", "\"messagesPerDay\": -1", "profiles.agents.quotas.messagesPerDay: must be an integer" },
        { "\"messagesPerDay\": 10", "\"messagesPerDay\": 1000", "profiles.agents.quotas.messagesPerDay: must not exceed messagesPerMonth" },
        { "\"messagesPerDay\": 10", "\"messagesPerWeek\": 10", "profiles.agents.quotas: unknown property 'messagesPerWeek'" },
        { "\"messagesPerDay\": 10", "\"messagesPerHour\": 11, \"messagesPerDay\": 10", "profiles.agents.quotas.messagesPerHour: must not exceed messagesPerDay" },
        { "\"messagesPerDay\": 10", "\"spendPerDay\": 0.0000001", "profiles.agents.quotas.spendPerDay: must be a number greater than 0" },
        { "\"messagesPerDay\": 10", "\"spendPerDay\": 20, \"spendPerMonth\": 10", "profiles.agents.quotas.spendPerDay: must not exceed spendPerMonth" },
        { "\"messagesPerDay\": 10", "\"perPrefixPerDay\": 0", "profiles.agents.quotas.perPrefixPerDay: must be an integer" },
        { "\"callers\": { \"ops\": \"agents\" }", "\"callers\": { \"ops\": \"agents\" }, \"global\": { \"spendPerDay\": 5, \"spendPerMonth\": 1 }", "global.spendPerDay: must not exceed spendPerMonth" },
        { "\"callers\": { \"ops\": \"agents\" }", "\"callers\": { \"ops\": \"agents\" }, \"global\": { \"messagesPerHour\": 5 }", "global: unknown property 'messagesPerHour'" },
        { "\"callers\": { \"ops\": \"agents\" }", "\"callers\": { \"ops\": \"agents\" }, \"pricing\": { \"currency\": \"usd\" }", "pricing.currency: 'usd' is not an ISO 4217 currency code" },
        { "\"callers\": { \"ops\": \"agents\" }", "\"callers\": { \"ops\": \"agents\" }, \"pricing\": { \"perSegment\": { \"XX\": 0.01 } }", "pricing.perSegment.XX: 'XX' is not an ISO 3166-1 alpha-2 code" },
        { "\"callers\": { \"ops\": \"agents\" }", "\"callers\": { \"ops\": \"agents\" }, \"pricing\": { \"perSegment\": { \"US\": -0.01 } }", "pricing.perSegment.US: must be a number 0 or more" },
        { "\"agents\": {\n", "\"Agents\": {\n", "profiles: a key is not a valid profile name" },
        { "\"ops\": \"agents\"", "\"ops\": \"nobody\"", "callers.ops: unknown profile 'nobody'" },
        { "\"ops\": \"agents\"", "\"bad id\": \"agents\"", "callers: a key is not a valid caller id" },
        { "\"ops\": \"agents\"", "\"ops\": 7", "callers.ops: must be a non-empty string" },
    };

    [Theory]
    [MemberData(nameof(MalformedPolicies))]
    public void MalformedPolicy_RefusesToStartNamingTheFieldPath(string find, string replace, string expected)
    {
        var policy = replace.Length == 0 && find.StartsWith('{') || find == "[]" ? find : BasePolicy.Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(BasePolicy, policy);
        using var factory = new ProductionFactory(policy,
            ("Storage:Provider", "Sqlite"), ("Storage:SqlitePath", "<db>"), ("Sms:Provider", "Sandbox"), ("Audit:PseudonymizationKey", Key),
            ("Policy:Path", "<policy>"));
        var failure = factory.StartFailure();
        Assert.True(failure.Contains(expected, StringComparison.Ordinal), failure);
        // Field paths, yes; the numbers themselves, never.
        Assert.DoesNotContain("2025550123", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BasePolicy_Starts()
    {
        using var factory = new ProductionFactory(BasePolicy,
            ("Storage:Provider", "Sqlite"), ("Storage:SqlitePath", "<db>"), ("Sms:Provider", "Sandbox"), ("Audit:PseudonymizationKey", Key),
            ("Policy:Path", "<policy>"));
        using var response = await factory.CreateClient().SendAsync(McpJsonRpc.Post(McpJsonRpc.Request("ping"), SmsMcpFactory.ApiKey));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("Pricing:Currency", "EUR")]
    [InlineData("Pricing:PerSegment:US", "0.0079")]
    public void RetiredPricingSetting_RefusesToStart_NamingTheSettingAndThePolicysPricing(string key, string value)
    {
        using var factory = new ProductionFactory(BasePolicy,
            ("Storage:Provider", "Sqlite"), ("Storage:SqlitePath", "<db>"), ("Sms:Provider", "Sandbox"), ("Audit:PseudonymizationKey", Key),
            ("Policy:Path", "<policy>"), (key, value));
        var failure = factory.StartFailure();
        Assert.True(failure.Contains(key + " is set", StringComparison.Ordinal), failure);
        Assert.Contains("policy's 'pricing' section", failure, StringComparison.Ordinal);
        Assert.DoesNotContain(value, failure, StringComparison.Ordinal);
    }
}
