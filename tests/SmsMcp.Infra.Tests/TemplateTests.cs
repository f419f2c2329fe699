using System.Text.Json;
using System.Text.RegularExpressions;
using SmsMcp.Core.Telemetry;
using SmsMcp.Core.Watchdog.Alerts;
using SmsMcp.Infra.Tests.Infrastructure;

namespace SmsMcp.Infra.Tests;

/// <summary>
/// The deployment main.bicep predicts (bicep snapshot), for API keys only, Entra authentication on, and private
/// networking: the lock-down the design promises, property by property.
/// </summary>
public sealed partial class TemplateTests
{
    // Built-in role ids, as Azure documents them.
    private const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageBlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";
    private const string Owner = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
    private const string Contributor = "b24988ac-6180-42a3-ab88-20f7382dd24c";

    private static Task<DeploymentSnapshot> Snapshot(string scenario) => DeploymentSnapshot.ForAsync(Scenario.Named(scenario));

    private static string Str(JsonElement element, params string[] path) => At(element, path).GetString()!;

    private static JsonElement At(JsonElement element, params string[] path) =>
        path.Aggregate(element, (current, name) => current.GetProperty(name));

    [Theory]
    [MemberData(nameof(Scenario.All), MemberType = typeof(Scenario))]
    public async Task FunctionApp_IsFlexConsumptionIsolatedWorkerLockedDown(string scenario)
    {
        var snapshot = await Snapshot(scenario);
        var plan = snapshot.Single("Microsoft.Web/serverfarms");
        var site = snapshot.Single("Microsoft.Web/sites");
        var properties = site.GetProperty("properties");

        Assert.Equal("FC1", Str(plan, "sku", "name"));
        Assert.Equal("FlexConsumption", Str(plan, "sku", "tier"));
        Assert.True(At(plan, "properties", "reserved").GetBoolean());
        Assert.Equal("functionapp,linux", Str(site, "kind"));
        Assert.Equal(Str(plan, "id"), Str(properties, "serverFarmId"));
        Assert.True(properties.GetProperty("httpsOnly").GetBoolean());
        Assert.Equal("1.2", Str(properties, "siteConfig", "minTlsVersion"));
        Assert.Equal("1.2", Str(properties, "siteConfig", "scmMinTlsVersion"));
        Assert.Equal("Disabled", Str(properties, "siteConfig", "ftpsState"));

        Assert.Equal("dotnet-isolated", Str(properties, "functionAppConfig", "runtime", "name"));
        Assert.Equal(ProjectDotnetVersion(), Str(properties, "functionAppConfig", "runtime", "version"));

        // One user-assigned identity, nothing system-assigned, and it is the one for Key Vault references and deployment.
        Assert.Equal("UserAssigned", Str(site, "identity", "type"));
        var identity = Assert.Single(At(site, "identity", "userAssignedIdentities").EnumerateObject()).Name;
        Assert.True(IsIdentityOutput(identity, "id"), identity);
        Assert.True(IsIdentityOutput(Str(properties, "keyVaultReferenceIdentity"), "id"));
        var deployment = At(properties, "functionAppConfig", "deployment", "storage");
        Assert.Equal("blobContainer", Str(deployment, "type"));
        Assert.Equal("UserAssignedIdentity", Str(deployment, "authentication", "type"));
        Assert.True(IsIdentityOutput(Str(deployment, "authentication", "userAssignedIdentityResourceId"), "id"));
        var account = snapshot.Single("Microsoft.Storage/storageAccounts");
        Assert.Equal($"https://{Str(account, "name")}.blob.core.windows.net/app-package", ArmExpression.Evaluate(Str(deployment, "value")));
        snapshot.Single("Microsoft.Storage/storageAccounts/blobServices/containers", "/app-package");

        // FTP and SCM basic (user name / password) publishing credentials are off.
        foreach (var kind in new[] { "ftp", "scm" })
        {
            var policy = snapshot.Single("Microsoft.Web/sites/basicPublishingCredentialsPolicies", "/" + kind);
            Assert.False(At(policy, "properties", "allow").GetBoolean());
        }
    }

    [Theory]
    [MemberData(nameof(Scenario.All), MemberType = typeof(Scenario))]
    public async Task HostStorage_IsIdentityBased(string scenario)
    {
        var settings = (await Snapshot(scenario)).AppSettings;
        var account = Str((await Snapshot(scenario)).Single("Microsoft.Storage/storageAccounts"), "name");

        Assert.Equal(account, settings["AzureWebJobsStorage__accountName"]);
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.True(IsIdentityOutput(settings["AzureWebJobsStorage__clientId"], "clientId"));
        Assert.DoesNotContain("AzureWebJobsStorage", settings.Keys);
        Assert.DoesNotContain(settings.Keys, k => k.StartsWith("WEBSITE_", StringComparison.Ordinal) || k.StartsWith("FUNCTIONS_", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Scenario.All), MemberType = typeof(Scenario))]
    public async Task Storage_HasNoSharedKeyNoPublicBlobsTls12AndTheAppsTables(string scenario)
    {
        var snapshot = await Snapshot(scenario);
        var account = At(snapshot.Single("Microsoft.Storage/storageAccounts"), "properties");

        Assert.False(account.GetProperty("allowSharedKeyAccess").GetBoolean());
        Assert.False(account.GetProperty("allowBlobPublicAccess").GetBoolean());
        Assert.Equal("TLS1_2", Str(account, "minimumTlsVersion"));
        Assert.True(account.GetProperty("supportsHttpsTrafficOnly").GetBoolean());
        Assert.All(snapshot.OfType("Microsoft.Storage/storageAccounts/blobServices/containers"), c => Assert.Equal("None", Str(c, "properties", "publicAccess")));

        var declared = snapshot.OfType("Microsoft.Storage/storageAccounts/tableServices/tables").Select(t => Str(t, "name").Split('/')[^1]).ToHashSet();
        Assert.Superset(AppTables.Names().ToHashSet(), declared);
    }

    [Theory]
    [MemberData(nameof(Scenario.All), MemberType = typeof(Scenario))]
    public async Task AuditHeads_GoToAnAppendOnlyImmutableContainer_TheAppIsPointedAt(string scenario)
    {
        var snapshot = await Snapshot(scenario);
        snapshot.Single("Microsoft.Storage/storageAccounts/blobServices/containers", "/audit-heads");
        var policy = At(snapshot.Single("Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies", "/audit-heads/default"), "properties");

        Assert.True(policy.GetProperty("allowProtectedAppendWrites").GetBoolean());
        Assert.Equal(400, policy.GetProperty("immutabilityPeriodSinceCreationInDays").GetInt32());
        var account = Str(snapshot.Single("Microsoft.Storage/storageAccounts"), "name");
        Assert.Equal($"https://{account}.blob.core.windows.net/audit-heads", ArmExpression.Evaluate(snapshot.AppSettings["AuditHeads__BlobContainerUri"]));
    }

    [Theory]
    [MemberData(nameof(Scenario.All), MemberType = typeof(Scenario))]
    public async Task KeyVault_UsesRbacSoftDeleteAndPurgeProtection(string scenario)
    {
        var snapshot = await Snapshot(scenario);
        var vault = At(snapshot.Single("Microsoft.KeyVault/vaults"), "properties");

        Assert.True(vault.GetProperty("enableRbacAuthorization").GetBoolean());
        Assert.True(vault.GetProperty("enableSoftDelete").GetBoolean());
        Assert.True(vault.GetProperty("enablePurgeProtection").GetBoolean());
        Assert.Equal(scenario == Scenario.Private.Name ? "Disabled" : "Enabled", Str(vault, "publicNetworkAccess"));
        Assert.DoesNotContain("accessPolicies", vault.EnumerateObject().Select(p => p.Name));
        Assert.Empty(snapshot.OfType("Microsoft.KeyVault/vaults/secrets"));
    }

    [Theory]
    [MemberData(nameof(Scenario.All), MemberType = typeof(Scenario))]
    public async Task RoleAssignments_AreExactlyWhatTheAppNeeds(string scenario)
    {
        var snapshot = await Snapshot(scenario);
        var storage = Str(snapshot.Single("Microsoft.Storage/storageAccounts"), "id");
        var expected = new HashSet<(string Role, string Scope)>
        {
            (KeyVaultSecretsUser, Str(snapshot.Single("Microsoft.KeyVault/vaults"), "id")),
            (StorageTableDataContributor, storage),
            (StorageBlobDataOwner, storage + "/blobServices/default/containers/app-package"),
            // The Functions host's own containers: timer schedules and singleton locks, host keys.
            (StorageBlobDataContributor, storage + "/blobServices/default/containers/azure-webjobs-hosts"),
            (StorageBlobDataContributor, storage + "/blobServices/default/containers/azure-webjobs-secrets"),
            // The audit head log: append only, by its container's immutability policy.
            (StorageBlobDataContributor, storage + "/blobServices/default/containers/audit-heads"),
            (MonitoringMetricsPublisher, Str(snapshot.Single("Microsoft.Insights/components"), "id")),
        };

        var assignments = snapshot.OfType("Microsoft.Authorization/roleAssignments").ToList();
        var actual = assignments.Select(a => (Role: Str(a, "properties", "roleDefinitionId").Split('/')[^1], Scope: ScopeOf(Str(a, "id")))).ToList();

        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected, actual.ToHashSet());
        Assert.DoesNotContain(actual, a => a.Role is Owner or Contributor);
        Assert.All(assignments, a =>
        {
            Assert.Equal("ServicePrincipal", Str(a, "properties", "principalType"));
            Assert.True(IsIdentityOutput(Str(a, "properties", "principalId"), "principalId"));
            Assert.StartsWith("[guid(", Str(a, "name"), StringComparison.Ordinal);
        });
    }

    [Theory]
    [MemberData(nameof(Scenario.All), MemberType = typeof(Scenario))]
    public async Task Monitoring_HasNoLocalAuthAndTheAppIngestsWithEntra(string scenario)
    {
        var snapshot = await Snapshot(scenario);
        var settings = snapshot.AppSettings;

        Assert.True(At(snapshot.Single("Microsoft.OperationalInsights/workspaces"), "properties", "features", "disableLocalAuth").GetBoolean());
        var insights = snapshot.Single("Microsoft.Insights/components");
        Assert.True(At(insights, "properties", "DisableLocalAuth").GetBoolean());
        Assert.Contains("Authorization=AAD", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"], StringComparison.Ordinal);
        Assert.Contains("outputs.clientId.value", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"], StringComparison.Ordinal);
        Assert.Contains(Str(insights, "id"), settings["APPLICATIONINSIGHTS_CONNECTION_STRING"], StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Scenario.All), MemberType = typeof(Scenario))]
    public async Task Alerts_CoverErrors5xxAndHeartbeatAndNotifyTheReceivers(string scenario)
    {
        var snapshot = await Snapshot(scenario);
        var group = snapshot.Single("Microsoft.Insights/actionGroups");
        var rules = snapshot.OfType("Microsoft.Insights/scheduledQueryRules").ToList();
        var insights = Str(snapshot.Single("Microsoft.Insights/components"), "id");

        Assert.Equal(["oncall@example.com", "ops@example.com"], At(group, "properties", "emailReceivers").EnumerateArray().Select(r => Str(r, "emailAddress")));
        Assert.Equal(
            ["function-errors", "http-5xx", "watchdog-heartbeat-missing"],
            rules.Select(r => Str(r, "name").Split('-')[..^1]).Select(parts => string.Join('-', parts)).Order());
        Assert.All(rules, rule =>
        {
            Assert.Equal(insights, Assert.Single(At(rule, "properties", "scopes").EnumerateArray()).GetString());
            Assert.Equal(Str(group, "id"), Assert.Single(At(rule, "properties", "actions", "actionGroups").EnumerateArray()).GetString());
        });
        var heartbeat = Assert.Single(rules, r => Str(r, "name").StartsWith("watchdog", StringComparison.Ordinal));
        var criterion = Assert.Single(At(heartbeat, "properties", "criteria", "allOf").EnumerateArray());
        Assert.Contains("\"anomaly-scan\"", Str(criterion, "query"), StringComparison.Ordinal);
        Assert.Equal("LessThan", Str(criterion, "operator"));

        var workbook = snapshot.Single("Microsoft.Insights/workbooks");
        Assert.Equal(insights, Str(workbook, "properties", "sourceId"));
        var content = Str(workbook, "properties", "serializedData");
        // The names the server's instruments are created with, so a renamed metric fails here rather than as an empty chart.
        Assert.All(new[] { SmsMcpMetrics.Sends, SmsMcpMetrics.Refusals, SmsMcpMetrics.Spend, AlertDispatcher.AlertsMetric, SmsMcpMetrics.Suspensions, "reason_code", "customDimensions.rule" },
            metric => Assert.Contains(metric, content, StringComparison.Ordinal));
    }

    [Fact]
    public async Task EntraOff_NoBuiltInAuthAndHeaderNotTrusted()
    {
        var snapshot = await Snapshot(Scenario.EntraOff.Name);

        Assert.DoesNotContain(snapshot.OfType("Microsoft.Web/sites/config"), c => Str(c, "name").EndsWith("/authsettingsV2", StringComparison.Ordinal));
        Assert.DoesNotContain(snapshot.AppSettings.Keys, k => k.StartsWith("Auth__TrustAppServiceAuthentication", StringComparison.Ordinal) || k.StartsWith("Auth__Principals", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("entra-on")]
    [InlineData("private")]
    public async Task EntraOn_RequiresTokensExceptTwilioStatusAndMapsPrincipals(string scenario)
    {
        var snapshot = await Snapshot(scenario);
        var auth = At(snapshot.Single("Microsoft.Web/sites/config", "/authsettingsV2"), "properties");
        var settings = snapshot.AppSettings;
        var aad = At(auth, "identityProviders", "azureActiveDirectory");

        Assert.True(At(auth, "platform", "enabled").GetBoolean());
        Assert.True(At(auth, "globalValidation", "requireAuthentication").GetBoolean());
        Assert.Equal("Return401", Str(auth, "globalValidation", "unauthenticatedClientAction"));
        Assert.Contains("/twilio/status", At(auth, "globalValidation", "excludedPaths").EnumerateArray().Select(p => p.GetString()));
        Assert.DoesNotContain("/mcp", At(auth, "globalValidation", "excludedPaths").EnumerateArray().Select(p => p.GetString()));
        Assert.True(At(auth, "httpSettings", "requireHttps").GetBoolean());
        Assert.False(At(auth, "login", "tokenStore", "enabled").GetBoolean());
        Assert.Equal(Scenario.EntraClientId, Str(aad, "registration", "clientId"));
        var issuer = ArmExpression.Evaluate(Str(aad, "registration", "openIdIssuer"));
        var audiences = At(aad, "validation", "allowedAudiences").EnumerateArray().Select(a => a.GetString()).ToList();
        var principals = At(aad, "validation", "defaultAuthorizationPolicy", "allowedPrincipals", "identities").EnumerateArray().Select(a => a.GetString()).ToList();
        if (scenario == Scenario.EntraOn.Name)
        {
            Assert.Equal($"https://login.microsoftonline.com/{DeploymentSnapshot.TenantId}/v2.0", issuer);
            Assert.Equal(["api://smsmcp-test"], audiences);
            Assert.Equal([Scenario.EntraObjectIdA, Scenario.EntraObjectIdB], principals);
            Assert.Equal(Scenario.EntraObjectIdB, settings["Auth__Principals__1__ObjectId"]);
            Assert.Equal("entra-ops-bot", settings["Auth__Principals__1__CallerId"]);
        }
        else
        {
            Assert.Equal("https://login.microsoftonline.com/organizations/v2.0", issuer);
            Assert.Equal([$"api://{Scenario.EntraClientId}"], audiences);
            Assert.Equal([Scenario.EntraObjectIdA], principals);
        }

        Assert.Equal("true", settings["Auth__TrustAppServiceAuthentication"]);
        Assert.Equal(Scenario.EntraObjectIdA, settings["Auth__Principals__0__ObjectId"]);
        Assert.Equal("assistant", settings["Auth__Principals__0__CallerId"]);
    }

    [Fact]
    public async Task Private_IntegratesVnetAndReachesStorageAndVaultPrivately()
    {
        var snapshot = await Snapshot(Scenario.Private.Name);
        var storage = snapshot.Single("Microsoft.Storage/storageAccounts");
        var vault = snapshot.Single("Microsoft.KeyVault/vaults");
        var site = snapshot.Single("Microsoft.Web/sites");

        Assert.Equal("Disabled", Str(storage, "properties", "publicNetworkAccess"));
        Assert.Equal("Deny", Str(storage, "properties", "networkAcls", "defaultAction"));
        Assert.Equal(JsonValueKind.String, At(site, "properties", "virtualNetworkSubnetId").ValueKind);
        Assert.True(At(site, "properties", "siteConfig", "vnetRouteAllEnabled").GetBoolean());
        var subnet = Assert.Single(At(snapshot.Single("Microsoft.Network/virtualNetworks"), "properties", "subnets").EnumerateArray(), s => Str(s, "name") == "app");
        Assert.Equal("Microsoft.App/environments", Str(Assert.Single(At(subnet, "properties", "delegations").EnumerateArray()), "properties", "serviceName"));

        var endpoints = snapshot.OfType("Microsoft.Network/privateEndpoints")
            .Select(e => Assert.Single(At(e, "properties", "privateLinkServiceConnections").EnumerateArray()).GetProperty("properties"))
            .Select(c => (Group: Assert.Single(c.GetProperty("groupIds").EnumerateArray()).GetString(), Target: Str(c, "privateLinkServiceId")))
            .ToHashSet();
        Assert.Equal(
            new HashSet<(string?, string)> { ("blob", Str(storage, "id")), ("table", Str(storage, "id")), ("queue", Str(storage, "id")), ("vault", Str(vault, "id")) },
            endpoints);
        Assert.Equal(4, snapshot.OfType("Microsoft.Network/privateDnsZones").Count());
        Assert.Equal(4, snapshot.OfType("Microsoft.Network/privateEndpoints/privateDnsZoneGroups").Count());

        var open = await Snapshot(Scenario.EntraOff.Name);
        Assert.Empty(open.OfType("Microsoft.Network/privateEndpoints"));
        Assert.Equal(JsonValueKind.Null, At(open.Single("Microsoft.Web/sites"), "properties", "virtualNetworkSubnetId").ValueKind);
    }

    [Theory]
    [MemberData(nameof(Scenario.All), MemberType = typeof(Scenario))]
    public async Task NoKeyOrSecret_InTemplateOutputsOrSettings(string scenario)
    {
        var snapshot = await Snapshot(scenario);
        var compiled = await CompiledTemplate.TextAsync();

        foreach (var text in new[] { snapshot.Text, compiled })
        {
            Assert.DoesNotContain("listKeys(", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("listSecrets(", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("listAccountSas(", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("AccountKey=", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("SharedAccessSignature", text, StringComparison.OrdinalIgnoreCase);
        }

        Assert.NotEmpty(snapshot.Outputs);
        Assert.All(snapshot.Outputs, output =>
        {
            Assert.Matches(UpperSnake(), output.Key);
            Assert.DoesNotMatch(SecretName(), output.Key);
            Assert.DoesNotContain("ConnectionString", output.Value.ToString(), StringComparison.OrdinalIgnoreCase);
        });
        Assert.All(snapshot.AppSettings, setting =>
        {
            if (SecretName().IsMatch(setting.Key.Split("__")[^1]))
            {
                Assert.StartsWith("@Microsoft.KeyVault(", setting.Value, StringComparison.Ordinal);
            }

            Assert.DoesNotContain("Password", setting.Value, StringComparison.OrdinalIgnoreCase);
        });
    }

    [Fact]
    public async Task Parameters_TakeNoSecret_ChatWebhooksAreOnlySwitchedOn()
    {
        // No secret passes through the template: ARM keeps parameter values in the deployment history. A chat
        // channel's URL is a credential, so the template takes only whether the channel is on; the URL is in the vault.
        using var compiled = JsonDocument.Parse(await CompiledTemplate.TextAsync());
        var parameters = compiled.RootElement.GetProperty("parameters").EnumerateObject().ToList();

        Assert.NotEmpty(parameters);
        Assert.All(parameters, parameter =>
        {
            Assert.DoesNotMatch(SecretName(), parameter.Name);
            Assert.DoesNotContain("secure", Str(parameter.Value, "type"), StringComparison.OrdinalIgnoreCase);
        });
        var chat = parameters.Where(p => ChatChannel().IsMatch(p.Name)).ToList();
        Assert.Equal(2, chat.Count);
        Assert.All(chat, parameter => Assert.Equal("bool", Str(parameter.Value, "type")));
    }

    [Theory]
    [MemberData(nameof(Scenario.All), MemberType = typeof(Scenario))]
    public async Task EveryResource_IsTaggedWithTheAzdEnvironment(string scenario)
    {
        var snapshot = await Snapshot(scenario);
        var tagged = snapshot.Resources.Where(r => r.TryGetProperty("location", out _) && r.TryGetProperty("tags", out _)).ToList();

        Assert.NotEmpty(tagged);
        Assert.Equal("smsmcp-test", Str(snapshot.Single("Microsoft.Resources/resourceGroups"), "tags", "azd-env-name"));
        Assert.All(tagged, r => Assert.Equal("smsmcp-test", Str(r, "tags", "azd-env-name")));
        Assert.Equal("api", Str(snapshot.Single("Microsoft.Web/sites"), "tags", "azd-service-name"));
    }

    /// <summary>The scope of an extension resource id: the first argument of extensionResourceId(...).</summary>
    private static string ScopeOf(string id)
    {
        var match = ExtensionScope().Match(id);
        Assert.True(match.Success, id);
        return match.Groups[1].Value;
    }

    /// <summary>A value the deployment fills in from the identity module's output (e.g. its principal or client id).</summary>
    private static bool IsIdentityOutput(string value, string output) =>
        value.StartsWith('[') && value.Contains("'identity-", StringComparison.Ordinal) && value.Contains($".outputs.{output}.value", StringComparison.Ordinal);

    /// <summary>The .NET version of the projects (Directory.Build.props), as Flex Consumption names it.</summary>
    internal static string ProjectDotnetVersion()
    {
        var props = File.ReadAllText(Path.Combine(Bicep.RepositoryRoot, "Directory.Build.props"));
        return TargetFramework().Match(props).Groups[1].Value;
    }

    [GeneratedRegex(@"^\[extensionResourceId\('([^']+)'")]
    private static partial Regex ExtensionScope();

    [GeneratedRegex("^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$")]
    private static partial Regex UpperSnake();

    [GeneratedRegex("(?i)(secret|password|key|token|connectionstring)$")]
    private static partial Regex SecretName();

    [GeneratedRegex("(?i)teams|slack")]
    private static partial Regex ChatChannel();

    [GeneratedRegex(@"<TargetFramework>net(\d+\.\d+)</TargetFramework>")]
    private static partial Regex TargetFramework();
}
