using System.Security.Cryptography;
using System.Text.RegularExpressions;
using SmsMcp.Core.Secrets;

namespace SmsMcp.Infra.Tests.Infrastructure;

/// <summary>The app settings main.bicep writes, as the app would see them in Azure.</summary>
internal static partial class TemplateSettings
{
    /// <summary>
    /// Secrets that are not keys, as the operator stores them (docs/deploy.md, step 4): the chat webhook URLs, in the
    /// shapes Teams Workflows and Slack hand out. Every other referenced secret is a random 32-byte key.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> SecretValues = new Dictionary<string, string>
    {
        ["alert-teams-url"] = "https://prod-00.westus2.logic.azure.com:443/workflows/0123456789abcdef/triggers/manual/paths/invoke?api-version=2016-06-01&sig=test-signature",
        ["alert-slack-url"] = "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
    };

    /// <summary>The client id the tests give the user-assigned identity (known only at deployment).</summary>
    public const string IdentityClientId = "0f0f0f0f-1111-2222-3333-444444444444";

    /// <summary>Read by the Functions platform, the host or Azure SDKs, not by SmsMcp's options.</summary>
    public static readonly string[] Platform =
    [
        "AzureWebJobsStorage__accountName", "AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId",
        "APPLICATIONINSIGHTS_CONNECTION_STRING", "APPLICATIONINSIGHTS_AUTHENTICATION_STRING", "AZURE_CLIENT_ID",
    ];

    /// <summary>The SmsMcp settings the template writes for a scenario (platform settings left out).</summary>
    public static async Task<Dictionary<string, string>> SmsMcpAsync(string scenario)
    {
        var snapshot = await DeploymentSnapshot.ForAsync(Scenario.Named(scenario));
        return snapshot.AppSettings.Where(s => !Platform.Contains(s.Key)).ToDictionary();
    }

    /// <summary>
    /// What the app sees in Azure: values the deployment fills in become concrete, Key Vault references become the
    /// secrets App Service resolves them to, and the policy path (inside the package) becomes a real policy here.
    /// </summary>
    public static Dictionary<string, string> Resolved(Dictionary<string, string> settings)
    {
        var resolved = new Dictionary<string, string>();
        foreach (var (key, raw) in settings)
        {
            // Known for the cloud (environment() suffixes): evaluated; known only during deployment: stays an expression.
            var value = ArmExpression.Evaluate(raw) ?? raw;
            if (value.StartsWith('['))
            {
                Assert.True(value.Contains("'identity-", StringComparison.Ordinal) && value.EndsWith(".outputs.clientId.value]", StringComparison.Ordinal),
                    $"{key} is filled in at deployment from something the test does not know: {value}");
                resolved[key] = IdentityClientId;
            }
            else if (value.StartsWith(KeyVaultReferenceGuard.ReferencePrefix, StringComparison.Ordinal))
            {
                var secret = ReferencedSecret().Match(value);
                Assert.True(secret.Success, $"{key} is not a Key Vault reference by vault and secret name: {value}");
                resolved[key] = SecretValues.TryGetValue(secret.Groups["secret"].Value, out var stored)
                    ? stored
                    : Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            }
            else if (key == "Policy__Path")
            {
                Assert.Equal("/home/site/wwwroot/policy.json", value);
                resolved[key] = Path.Combine(Bicep.RepositoryRoot, "policy", "example.production.json");
            }
            else
            {
                resolved[key] = value;
            }
        }

        return resolved;
    }

    [GeneratedRegex(@"SecretName=(?<secret>[A-Za-z0-9-]+)\)$")]
    private static partial Regex ReferencedSecret();
}
