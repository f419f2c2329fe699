namespace SmsMcp.Server.Tests.Infrastructure;

/// <summary>
/// The app in local mode (sandbox provider and its offline lookup) with a policy whose dev caller may text freephone
/// numbers by class but has first-contact lookup on.
/// </summary>
public sealed class LookupFactory : SmsMcpFactory
{
    public const string Policy = """
        {
          "profiles": {
            "checked": {
              "allow": { "patterns": ["+1800555XXXX", "+1NXX55501XX"] },
              "countries": ["US"],
              "allowNumberClasses": ["Freephone"],
              "lookup": { "mode": "firstContact" }
            }
          },
          "callers": { "dev": "checked" }
        }
        """;

    protected override IEnumerable<KeyValuePair<string, string>> Settings
    {
        get
        {
            var path = Path.Combine(DataDirectory, "lookup-policy.json");
            File.WriteAllText(path, Policy);
            return [new("Policy:Path", path)];
        }
    }
}
