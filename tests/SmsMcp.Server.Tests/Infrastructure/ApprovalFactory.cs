namespace SmsMcp.Server.Tests.Infrastructure;

/// <summary>
/// <see cref="AdminFactory"/> with a policy whose dev caller needs first-contact approval (same recipients as the
/// development policy).
/// </summary>
public sealed class ApprovalFactory : AdminFactory
{
    public const string Policy = """
        {
          "recipients": { "demo": { "number": "+12025550123" }, "other": { "number": "+12025550124" } },
          "profiles": { "careful": { "allow": { "recipients": ["demo", "other"] }, "countries": ["US"], "approval": "firstContact" } },
          "callers": { "dev": "careful" }
        }
        """;

    protected override IEnumerable<KeyValuePair<string, string>> MoreSettings
    {
        get
        {
            var path = Path.Combine(DataDirectory, "approval-policy.json");
            File.WriteAllText(path, Policy);
            return [new("Policy:Path", path)];
        }
    }
}
