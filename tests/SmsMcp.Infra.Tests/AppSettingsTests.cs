using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SmsMcp.Core.Hosting;
using SmsMcp.Core.Secrets;
using SmsMcp.Http.Admin;
using SmsMcp.Http.Auth;
using SmsMcp.Http.Mcp;
using SmsMcp.Http.Webhooks;
using SmsMcp.Infra.Tests.Infrastructure;
using SmsMcp.Infrastructure.Hosting;
using SmsMcp.Infrastructure.Twilio;

namespace SmsMcp.Infra.Tests;

/// <summary>
/// The app settings main.bicep writes are judged by the server itself: bound into configuration as the platform
/// passes them (environment variables, <c>Section__Key</c>), with Key Vault references resolved as App Service would,
/// they must pass every options validator the server runs at start outside Development. A setting the code needs and
/// the template lacks, a key no options type reads, or a secret outside Key Vault fails here.
/// </summary>
public sealed partial class AppSettingsTests
{
    [Theory]
    [MemberData(nameof(Scenario.All), MemberType = typeof(Scenario))]
    public async Task TemplateSettings_PassTheServersStartupValidation(string scenario)
    {
        var settings = TemplateSettings.Resolved(await TemplateSettings.SmsMcpAsync(scenario));

        Assert.Empty(Validate(settings));
    }

    [Theory]
    [MemberData(nameof(Scenario.All), MemberType = typeof(Scenario))]
    public async Task TemplateSettings_AreOnlyPlatformOrServerSettings(string scenario)
    {
        var snapshot = await DeploymentSnapshot.ForAsync(Scenario.Named(scenario));
        var unknown = snapshot.AppSettings.Keys.Except(TemplateSettings.Platform).Where(k => !k.Contains("__", StringComparison.Ordinal));

        Assert.Empty(unknown);
        Assert.All(TemplateSettings.Resolved(await TemplateSettings.SmsMcpAsync(scenario)), s => Assert.Null(OptionsCatalog.WhyUnbound(ToConfigurationKey(s.Key), s.Value)));
    }

    [Fact]
    public void SettingMapping_RefusesKeysNoOptionsTypeHas()
    {
        // The mapping check must be able to fail: a misspelt property, and a section nobody reads.
        Assert.NotNull(OptionsCatalog.WhyUnbound("Sms:Twilio:FromNumber", "+12025550100"));
        Assert.NotNull(OptionsCatalog.WhyUnbound("Storage:TableUri", "https://x.table.core.windows.net"));
        Assert.NotNull(OptionsCatalog.WhyUnbound("Alerting:WebhookUrl", "https://example.com"));
        Assert.Null(OptionsCatalog.WhyUnbound("Sms:Twilio:From", "+12025550100"));
    }

    public static TheoryData<string> RequiredSettings() =>
    [
        "Storage__Provider", "Storage__TableServiceUri", "Sms__Provider", "Sms__Twilio__AccountSid",
        "Sms__Twilio__MessagingServiceSid", "Audit__PseudonymizationKey", "Policy__Path",
    ];

    [Theory]
    [MemberData(nameof(RequiredSettings))]
    public async Task RequiredSetting_MissingFromTheTemplate_FailsValidation(string key)
    {
        // What the test above would report if the template lost one of the settings production requires.
        var settings = TemplateSettings.Resolved(await TemplateSettings.SmsMcpAsync(Scenario.EntraOff.Name));
        Assert.True(settings.Remove(key), $"The template does not write {key}.");

        var failures = Validate(settings);

        Assert.Contains(failures, f => f.Contains(ToConfigurationKey(key), StringComparison.Ordinal) || (key == "Sms__Twilio__MessagingServiceSid" && f.Contains("Sms:Twilio:From", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(Scenario.All), MemberType = typeof(Scenario))]
    public async Task Secrets_AreKeyVaultReferencesToDocumentedSecretsInTheTemplatesVault(string scenario)
    {
        var snapshot = await DeploymentSnapshot.ForAsync(Scenario.Named(scenario));
        var vault = snapshot.Single("Microsoft.KeyVault/vaults").GetProperty("name").GetString();
        var settings = await TemplateSettings.SmsMcpAsync(scenario);
        var documented = DocumentedSecrets();

        // Unresolved, the server refuses to start and names the settings (never a value).
        var configuration = Configuration(settings);
        var refusal = Assert.ThrowsAny<Exception>(() => KeyVaultReferenceGuard.ThrowIfUnresolved(configuration));
        Assert.Contains("Audit:PseudonymizationKey", refusal.Message, StringComparison.Ordinal);

        var references = settings.Where(s => s.Value.StartsWith(KeyVaultReferenceGuard.ReferencePrefix, StringComparison.Ordinal)).ToList();
        Assert.Contains(references, r => r.Key == "Audit__PseudonymizationKey");
        Assert.Contains(references, r => r.Key == "Audit__SealKey");
        Assert.All(references, reference =>
        {
            var match = KeyVaultReference().Match(reference.Value);
            Assert.True(match.Success, reference.Key);
            Assert.Equal(vault, match.Groups["vault"].Value);
            Assert.Contains(match.Groups["secret"].Value, documented);
        });

        // Secret-looking settings hold references, never values.
        Assert.All(settings.Where(s => SecretLike().IsMatch(s.Key.Split("__")[^1])), s => Assert.Contains(s, references));

        // The Twilio credential comes from the vault through the identity; the secrets it reads are documented too.
        Assert.Equal($"https://{vault}.vault.azure.net/", ArmExpression.Evaluate(settings["Sms__Twilio__KeyVaultUri"]));
        var defaults = new TwilioOptions();
        Assert.Superset(new HashSet<string> { defaults.KeyVaultApiKeySidSecretName!, defaults.KeyVaultApiKeySecretSecretName!, defaults.KeyVaultAuthTokenSecretName! }, documented);
    }

    /// <summary>Every options failure the server reports at start outside Development, composed as the server composes itself.</summary>
    private static List<string> Validate(Dictionary<string, string> settings)
    {
        var configuration = Configuration(settings);
        var data = Directory.CreateTempSubdirectory("smsmcp-settings-");
        try
        {
            var environment = SmsMcpEnvironment.Create(isDevelopment: false, data.FullName);
            var services = new ServiceCollection().AddLogging().AddSingleton(environment);
            try
            {
                services
                    .AddSmsMcpCore(configuration, environment)
                    .AddCallerAuthentication(configuration, environment)
                    .AddMcpEndpoint(configuration)
                    .AddTwilioWebhooks(configuration)
                    .AddAdminEndpoint(configuration);
                using var provider = services.BuildServiceProvider();
                provider.GetRequiredService<IStartupValidator>().Validate();
                return [];
            }
            catch (OptionsValidationException e)
            {
                return [.. e.Failures];
            }
            catch (AggregateException e)
            {
                return [.. e.Flatten().InnerExceptions.SelectMany(i => i is OptionsValidationException o ? o.Failures : [i.Message])];
            }
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    private static IConfiguration Configuration(Dictionary<string, string> settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(ToConfigurationKey(s.Key), s.Value)))
            .Build();

    /// <summary>As the environment-variable provider reads an app setting: <c>__</c> separates sections.</summary>
    private static string ToConfigurationKey(string setting) => setting.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);

    /// <summary>Secret names docs/deploy.md tells the operator to set (<c>az keyvault secret set ... --name NAME</c>).</summary>
    private static HashSet<string> DocumentedSecrets()
    {
        var guide = File.ReadAllText(Path.Combine(Bicep.RepositoryRoot, "docs", "deploy.md"));
        return [.. DocumentedSecret().Matches(guide).Select(m => m.Groups[1].Value)];
    }

    [GeneratedRegex(@"^@Microsoft\.KeyVault\(VaultName=(?<vault>[a-z0-9-]+);SecretName=(?<secret>[A-Za-z0-9-]+)\)$")]
    private static partial Regex KeyVaultReference();

    [GeneratedRegex("(?i)(secret|password|key|token|connectionstring)$")]
    private static partial Regex SecretLike();

    [GeneratedRegex(@"az keyvault secret set [^\n]*--name ([A-Za-z0-9-]+)")]
    private static partial Regex DocumentedSecret();
}
