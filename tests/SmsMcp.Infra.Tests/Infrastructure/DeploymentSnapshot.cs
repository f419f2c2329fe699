using System.Collections.Concurrent;
using System.Text.Json;

namespace SmsMcp.Infra.Tests.Infrastructure;

/// <summary>
/// What <c>bicep snapshot</c> predicts a deployment of infra/main.bicep creates for one set of parameters: every
/// resource with its evaluated properties, modules flattened. Values known only during the deployment (a module's
/// output such as the identity's client id) stay ARM expressions. Computed once per scenario per test run.
/// </summary>
internal sealed class DeploymentSnapshot
{
    public const string SubscriptionId = "00000000-0000-0000-0000-0000000000aa";
    public const string TenantId = "00000000-0000-0000-0000-0000000000bb";

    private static readonly ConcurrentDictionary<string, Lazy<Task<DeploymentSnapshot>>> Cache = new();

    private DeploymentSnapshot(string text)
    {
        Text = text;
        using var document = JsonDocument.Parse(text);
        Resources = [.. document.RootElement.GetProperty("predictedResources").EnumerateArray().Select(r => r.Clone())];
        Outputs = document.RootElement.GetProperty("outputs").EnumerateObject().ToDictionary(o => o.Name, o => o.Value.Clone());
    }

    /// <summary>The whole snapshot as the CLI wrote it.</summary>
    public string Text { get; }

    public IReadOnlyList<JsonElement> Resources { get; }

    public IReadOnlyDictionary<string, JsonElement> Outputs { get; }

    public IEnumerable<JsonElement> OfType(string type) =>
        Resources.Where(r => string.Equals(r.GetProperty("type").GetString(), type, StringComparison.OrdinalIgnoreCase));

    public JsonElement Single(string type) => Assert.Single(OfType(type));

    public JsonElement Single(string type, string nameSuffix) =>
        Assert.Single(OfType(type), r => r.GetProperty("name").GetString()!.EndsWith(nameSuffix, StringComparison.Ordinal));

    /// <summary>The app settings the template writes (the site's <c>config/appsettings</c>).</summary>
    public IReadOnlyDictionary<string, string> AppSettings =>
        Single("Microsoft.Web/sites/config", "/appsettings").GetProperty("properties").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetString()!);

    public static Task<DeploymentSnapshot> ForAsync(Scenario scenario) =>
        Cache.GetOrAdd(scenario.Name, _ => new Lazy<Task<DeploymentSnapshot>>(() => CreateAsync(scenario))).Value;

    private static async Task<DeploymentSnapshot> CreateAsync(Scenario scenario)
    {
        var directory = Directory.CreateTempSubdirectory("smsmcp-snapshot-");
        try
        {
            var parameterFile = Path.Combine(directory.FullName, $"{scenario.Name}.bicepparam");
            // `using` takes relative paths only.
            var main = Path.GetRelativePath(directory.FullName, Path.Combine(Bicep.InfraDirectory, "main.bicep")).Replace('\\', '/');
            await File.WriteAllTextAsync(parameterFile, $"using '{main}'\n\n{scenario.Parameters}\n");

            var run = await Bicep.RunAsync(["snapshot", parameterFile, "--mode", "overwrite", "--subscription-id", SubscriptionId, "--tenant-id", TenantId]);

            Assert.True(run.ExitCode == 0, run.ToString());
            var snapshot = new DeploymentSnapshot(await File.ReadAllTextAsync(Path.ChangeExtension(parameterFile, ".snapshot.json")));
            using var document = JsonDocument.Parse(snapshot.Text);
            Assert.Equal(0, document.RootElement.GetProperty("diagnostics").GetArrayLength());
            return snapshot;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}

/// <summary>
/// A named set of main.bicep parameters, written as bicepparam lines, and the watchdog alert channels (by
/// <c>IAlertChannel.Name</c>) the server must build from the settings they produce.
/// </summary>
internal sealed record Scenario(string Name, string Parameters, string[] AlertChannels)
{
    public const string AlertWebhookUrl = "https://alerts.example.com/smsmcp/watchdog";
    public const string EntraObjectIdA = "11111111-2222-3333-4444-555555555555";
    public const string EntraObjectIdB = "66666666-7777-8888-9999-000000000000";
    public const string EntraClientId = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";

    private const string Common = """
        param environmentName = 'smsmcp-test'
        param location = 'westus2'
        param twilioAccountSid = 'AC0123456789abcdef0123456789abcdef'
        param twilioMessagingServiceSid = 'MG0123456789abcdef0123456789abcdef'
        param apiKeyCallers = [
          { id: 'monitoring', keySalt: 'AAAAAAAAAAAAAAAAAAAAAA==', keyHash: 'AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=' }
        ]
        param adminKeys = [
          { id: 'ops-alice', keySalt: 'AQEBAQEBAQEBAQEBAQEBAQ==', keyHash: 'ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=' }
        ]
        param alertEmailReceivers = ['oncall@example.com', 'ops@example.com']
        """;

    /// <summary>Defaults plus what azd asks for: API keys only, no alert channel.</summary>
    public static Scenario EntraOff { get; } = new("entra-off", Common, []);

    /// <summary>
    /// Built-in Entra authentication for one tenant, two principals mapped to callers; the app's own OAuth on too; every
    /// alert channel on.
    /// </summary>
    public static Scenario EntraOn { get; } = new("entra-on", Common + $$"""

        param twilioFrom = ''
        param entraAuthEnabled = true
        param entraClientId = '{{EntraClientId}}'
        param entraAllowedAudiences = ['api://smsmcp-test']
        param entraPrincipals = [
          { objectId: '{{EntraObjectIdA}}', callerId: 'assistant' }
          { objectId: '{{EntraObjectIdB}}', callerId: 'entra-ops-bot' }
        ]
        param oauthEnabled = true
        param oauthPrincipals = [
          { objectId: '{{EntraObjectIdA}}', callerId: 'assistant' }
        ]
        param alertWebhookUrl = '{{AlertWebhookUrl}}'
        param alertTeamsEnabled = true
        param alertSlackEnabled = true
        """, ["webhook", "teams", "slack"]);

    /// <summary>
    /// VNet integration, private endpoints, a closed vault, Entra for two tenants (built-in and the app's own OAuth);
    /// one alert channel (Slack) on by itself.
    /// </summary>
    public static Scenario Private { get; } = new("private", Common + $$"""

        param vnetEnabled = true
        param keyVaultPublicNetworkAccess = 'Disabled'
        param entraAuthEnabled = true
        param entraClientId = '{{EntraClientId}}'
        param entraAllowedTenants = ['{{DeploymentSnapshot.TenantId}}', '00000000-0000-0000-0000-0000000000cc']
        param entraPrincipals = [
          { objectId: '{{EntraObjectIdA}}', callerId: 'assistant' }
        ]
        param oauthEnabled = true
        param oauthTenants = ['{{DeploymentSnapshot.TenantId}}', '00000000-0000-0000-0000-0000000000cc']
        param oauthPrincipals = [
          { objectId: '{{EntraObjectIdA}}', callerId: 'assistant' }
          { tenantId: '00000000-0000-0000-0000-0000000000cc', objectId: '{{EntraObjectIdB}}', callerId: 'partner-bot' }
        ]
        param alertSlackEnabled = true
        """, ["slack"]);

    public static TheoryData<string> All() => [EntraOff.Name, EntraOn.Name, Private.Name];

    public static Scenario Named(string name) => new[] { EntraOff, EntraOn, Private }.Single(s => s.Name == name);
}
