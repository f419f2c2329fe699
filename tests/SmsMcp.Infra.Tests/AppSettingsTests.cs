using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SmsMcp.Core.Hosting;
using SmsMcp.Core.Secrets;
using SmsMcp.Core.Watchdog.Alerts;
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

        var references = settings.Where(s => s.Value.StartsWith(KeyVaultReferenceGuard.ReferencePrefix, StringComparison.Ordinal)).ToList();
        Assert.Contains(references, r => r.Key == "Audit__PseudonymizationKey");
        Assert.Contains(references, r => r.Key == "Audit__SealKey");

        // Unresolved, the server refuses to start and names every such setting (never a value).
        var configuration = Configuration(settings);
        var refusal = Assert.ThrowsAny<Exception>(() => KeyVaultReferenceGuard.ThrowIfUnresolved(configuration));
        Assert.All(references, r => Assert.Contains(ToConfigurationKey(r.Key), refusal.Message, StringComparison.Ordinal));
        Assert.All(references, reference =>
        {
            var match = KeyVaultReference().Match(reference.Value);
            Assert.True(match.Success, reference.Key);
            Assert.Equal(vault, match.Groups["vault"].Value);
            Assert.Contains(match.Groups["secret"].Value, documented);
        });

        // Secret-looking settings, and the chat webhook URLs (whoever has one can post), hold references, never values.
        Assert.All(settings.Where(s => SecretLike().IsMatch(s.Key.Split("__")[^1]) || CredentialUrls.Contains(s.Key)), s => Assert.Contains(s, references));

        // The alert webhook's signing secret is read by name from the template's vault, like the Twilio credential.
        if (settings.TryGetValue("Watchdog__Alerts__WebhookSecretName", out var signingSecret))
        {
            Assert.Contains(signingSecret, documented);
            Assert.Equal($"https://{vault}.vault.azure.net/", ArmExpression.Evaluate(settings["Watchdog__Alerts__KeyVaultUri"]));
        }

        // The Twilio credential comes from the vault through the identity; the secrets it reads are documented too.
        Assert.Equal($"https://{vault}.vault.azure.net/", ArmExpression.Evaluate(settings["Sms__Twilio__KeyVaultUri"]));
        var defaults = new TwilioOptions();
        Assert.Superset(new HashSet<string> { defaults.KeyVaultApiKeySidSecretName!, defaults.KeyVaultApiKeySecretSecretName!, defaults.KeyVaultAuthTokenSecretName! }, documented);
    }

    /// <summary>The chat webhook URLs: credentials although their names do not say so.</summary>
    private static readonly string[] CredentialUrls = ["Watchdog__Alerts__TeamsUrl", "Watchdog__Alerts__SlackUrl"];

    /// <summary>The settings each alert channel needs (<c>Watchdog:Alerts</c>, AlertChannelOptions), by channel name.</summary>
    private static readonly Dictionary<string, string[]> AlertChannelSettings = new()
    {
        ["webhook"] = ["Watchdog__Alerts__WebhookUrl", "Watchdog__Alerts__WebhookSecretName", "Watchdog__Alerts__KeyVaultUri", "Watchdog__Alerts__ManagedIdentityClientId"],
        ["teams"] = ["Watchdog__Alerts__TeamsUrl"],
        ["slack"] = ["Watchdog__Alerts__SlackUrl"],
    };

    [Theory]
    [MemberData(nameof(Scenario.All), MemberType = typeof(Scenario))]
    public async Task AlertChannels_TheTemplateTurnsOn_AreExactlyTheChannelsTheServerBuilds(string scenario)
    {
        var expected = Scenario.Named(scenario).AlertChannels;
        var settings = await TemplateSettings.SmsMcpAsync(scenario);

        // A channel that is off writes nothing (an empty setting would still bind, e.g. as a blank URL).
        Assert.Equal(expected.SelectMany(c => AlertChannelSettings[c]).Order(), settings.Keys.Where(k => k.StartsWith("Watchdog__Alerts__", StringComparison.Ordinal)).Order());
        if (expected.Contains("webhook"))
        {
            Assert.Equal(Scenario.AlertWebhookUrl, settings["Watchdog__Alerts__WebhookUrl"]);
        }

        Assert.Equal(expected.Order(), BuiltAlertChannels(TemplateSettings.Resolved(settings)).Order());
    }

    [Fact]
    public async Task AlertChannels_BuiltFromSettings_CanDifferFromTheScenario()
    {
        // The check above must be able to fail: the server's channel list follows the settings, not the scenario.
        var settings = TemplateSettings.Resolved(await TemplateSettings.SmsMcpAsync(Scenario.EntraOn.Name));
        settings.Remove("Watchdog__Alerts__TeamsUrl");

        Assert.Equal(["slack", "webhook"], BuiltAlertChannels(settings).Order());
    }

    [Theory]
    [InlineData("Watchdog__Alerts__WebhookSecretName")]
    [InlineData("Watchdog__Alerts__KeyVaultUri")]
    public async Task AlertWebhook_WithoutItsSigningSecretInTheVault_FailsValidation(string key)
    {
        var settings = TemplateSettings.Resolved(await TemplateSettings.SmsMcpAsync(Scenario.EntraOn.Name));
        Assert.True(settings.Remove(key), $"The template does not write {key}.");

        Assert.Contains(Validate(settings), f => f.Contains("Watchdog:Alerts:WebhookUrl", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Watchdog__Alerts__TeamsUrl", "http://hooks.example.com/alerts", "must be https")]
    [InlineData("Watchdog__Alerts__SlackUrl", "http://hooks.example.com/alerts", "must be https")]
    [InlineData("Watchdog__Alerts__SlackUrl", "hooks.slack.com/services/T0/B0/X", "must be absolute")]
    public async Task ChatUrl_ResolvingToABadUrl_FailsValidationByName(string key, string stored, string failure)
    {
        // What an operator storing such a URL in the vault would get: the server refuses to start, naming the setting.
        var settings = TemplateSettings.Resolved(await TemplateSettings.SmsMcpAsync(Scenario.EntraOn.Name));
        Assert.True(settings.ContainsKey(key), $"The template does not write {key}.");
        settings[key] = stored;

        var failures = Validate(settings);

        Assert.Contains(failures, f => f.StartsWith("Watchdog:Alerts URLs", StringComparison.Ordinal) && f.Contains(failure, StringComparison.Ordinal));
        Assert.DoesNotContain(failures, f => f.Contains(stored, StringComparison.Ordinal));
    }

    /// <summary>Every options failure the server reports at start outside Development, composed as the server composes itself.</summary>
    private static List<string> Validate(Dictionary<string, string> settings)
    {
        try
        {
            return WithServer(settings, provider =>
            {
                provider.GetRequiredService<IStartupValidator>().Validate();
                return new List<string>();
            });
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

    /// <summary>The names of the alert channels the server composes from these settings (after start-up validation).</summary>
    private static List<string> BuiltAlertChannels(Dictionary<string, string> settings) =>
        WithServer(settings, provider =>
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
            return provider.GetRequiredService<IEnumerable<IAlertChannel>>().Select(c => c.Name).ToList();
        });

    /// <summary>The server's services outside Development, composed as the server composes itself, over these settings.</summary>
    private static T WithServer<T>(Dictionary<string, string> settings, Func<IServiceProvider, T> use)
    {
        var configuration = Configuration(settings);
        var data = Directory.CreateTempSubdirectory("smsmcp-settings-");
        try
        {
            var environment = SmsMcpEnvironment.Create(isDevelopment: false, data.FullName);
            var services = new ServiceCollection().AddLogging().AddSingleton(environment);
            services
                .AddSmsMcpCore(configuration, environment)
                .AddCallerAuthentication(configuration, environment)
                .AddMcpEndpoint(configuration)
                .AddTwilioWebhooks(configuration)
                .AddAdminEndpoint(configuration);
            using var provider = services.BuildServiceProvider();
            return use(provider);
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
