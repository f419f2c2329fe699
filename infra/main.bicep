// SmsMcp on Azure: the isolated-worker Functions app on Flex Consumption with everything it needs, locked down.
// No secret passes through this template: Key Vault secrets are set by the operator (docs/deploy.md) and read by
// the app's user-assigned identity, which holds only the roles in modules/roles.bicep.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; names the resource group and tags every resource.')
param environmentName string

@minLength(1)
@description('Region of every resource. Flex Consumption must be available there (docs/deploy.md).')
param location string

@description('.NET version of the isolated worker; matches the projects\' target framework.')
param dotnetVersion string = '10.0'

@minValue(40)
@maxValue(1000)
@description('Upper bound of Flex Consumption instances.')
param maximumInstanceCount int = 40

@allowed([
  512
  2048
  4096
])
@description('Memory of one instance.')
param instanceMemoryMB int = 2048

@description('Twilio account SID (AC...). Not a secret; the credentials live in Key Vault.')
param twilioAccountSid string

@description('Sender: an E.164 number, short code or alphanumeric id. Set exactly one of this and twilioMessagingServiceSid.')
param twilioFrom string = ''

@description('Messaging Service SID (MG...), preferred: it carries Advanced Opt-Out and pumping protection.')
param twilioMessagingServiceSid string = ''

@allowed([
  'ApiKey'
  'AuthToken'
])
@description('Which credential the app reads from Key Vault to send: a restricted API key (twilio-api-key-sid, twilio-api-key-secret) or the auth token (twilio-auth-token).')
param twilioCredentialKind string = 'ApiKey'

@description('Where the send policy is in the deployed package (infra/package.sh puts it there as policy.json).')
param policyPath string = '/home/site/wwwroot/policy.json'

@description('API-key callers of /mcp as printed by `hash-key`: id, salt and salted hash (a hash, never the key).')
param apiKeyCallers keyEntry[] = []

@description('Operator keys of /admin as printed by `hash-key`; none means the admin surface does not exist.')
param adminKeys keyEntry[] = []

@description('Turn on built-in authentication with Microsoft Entra ID in front of /mcp.')
param entraAuthEnabled bool = false

@description('Tenant of the MCP server\'s app registration (default: this subscription\'s tenant).')
param entraTenantId string = subscription().tenantId

@description('Application (client) id of the MCP server\'s app registration. Required with entraAuthEnabled.')
param entraClientId string = ''

@description('Tenants whose tokens are accepted; empty means entraTenantId only.')
param entraAllowedTenants string[] = []

@description('Accepted audiences; empty means api://<entraClientId>.')
param entraAllowedAudiences string[] = []

@description('Entra principals (object ids) mapped to policy callers, used with entraAuthEnabled.')
param entraPrincipals principalEntry[] = []

@description('Validate Entra ID v2 bearer tokens in the app itself (OAuth 2.1 resource server: RFC 9728 metadata, per-tool scopes), besides API keys. Independent of entraAuthEnabled; audiences are entraClientId, api://<entraClientId> and entraAllowedAudiences.')
param oauthEnabled bool = false

@description('Tenants whose tokens the app accepts with oauthEnabled; empty means entraTenantId only.')
param oauthTenants string[] = []

@description('Token principals mapped to policy callers by the app with oauthEnabled (at least one).')
param oauthPrincipals oauthPrincipalEntry[] = []

@allowed([
  'Enabled'
  'Disabled'
])
@description('Key Vault public network access. Disabled requires vnetEnabled.')
param keyVaultPublicNetworkAccess string = 'Enabled'

@description('VNet integration with private endpoints for storage and Key Vault.')
param vnetEnabled bool = false

@minValue(1)
@maxValue(146000)
@description('Days each published audit chain head stays immutable (WORM); keep it at least as long as the audit trail.')
param auditHeadsRetentionDays int = 400

@description('E-mail addresses that receive the alerts.')
param alertEmailReceivers string[] = []

@description('The watchdog\'s signed alert webhook (https; empty: off). An address, not a credential: the receiver checks each alert\'s signature, made with the vault\'s alert-webhook-secret. It must not carry a token (it is a plain parameter).')
param alertWebhookUrl string = ''

@description('Post the watchdog\'s alerts to Microsoft Teams. The Workflows webhook URL is a credential: the app reads it from the vault\'s alert-teams-url through a Key Vault reference.')
param alertTeamsEnabled bool = false

@description('Post the watchdog\'s alerts to Slack. The incoming-webhook URL is a credential: the app reads it from the vault\'s alert-slack-url through a Key Vault reference.')
param alertSlackEnabled bool = false

type keyEntry = {
  @description('Caller or operator id.')
  id: string
  @description('Base64 salt from hash-key.')
  keySalt: string
  @description('Base64 salted SHA-256 from hash-key.')
  keyHash: string
}

type oauthPrincipalEntry = {
  @description('Tenant of the principal (default entraTenantId); must be one of the accepted tenants.')
  tenantId: string?
  @description('Object id (oid claim) of the user or the client application\'s service principal.')
  objectId: string
  @description('The policy caller it acts as.')
  callerId: string
}

type principalEntry = {
  @description('Object id of the Entra principal.')
  objectId: string
  @description('The policy caller it acts as.')
  callerId: string
}

var abbreviation = {
  resourceGroup: 'rg-'
  identity: 'id-'
  storage: 'st'
  keyVault: 'kv-'
  logAnalytics: 'log-'
  applicationInsights: 'appi-'
  plan: 'plan-'
  functionApp: 'func-'
  vnet: 'vnet-'
}
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}
var keyVaultUri = 'https://${keyVaultName}${environment().suffixes.keyvaultDns}/'

// Names are computed here, not read back from modules, so every reference to them is known before deployment.
var appName = '${abbreviation.functionApp}${resourceToken}'
var keyVaultName = '${abbreviation.keyVault}${resourceToken}'
var storageAccountName = '${abbreviation.storage}${resourceToken}'
var applicationInsightsName = '${abbreviation.applicationInsights}${resourceToken}'
// The classic default host name; the app is created without a unique-hostname scope, so this is its name.
var publicHost = '${appName}.azurewebsites.net'
var deploymentContainerName = 'app-package'
// Where the audit-heads job appends the audit trail's chain heads: a container under a time-based immutability policy.
var auditHeadsContainerName = 'audit-heads'
// Where the Functions host keeps timer schedules, singleton locks (one timer run at a time) and keys.
var hostContainerNames = [
  'azure-webjobs-hosts'
  'azure-webjobs-secrets'
]
// The tables the app declares (each feature's AddTable in src, jobruns for the timers' claims of their periods); the
// infra tests check this list against the hosts' composition.
var tableNames = [
  'Audit'
  'Messages'
  'MessageIndex'
  'Idempotency'
  'Quotas'
  'Suppressions'
  'Controls'
  'Contacts'
  'Approvals'
  'Lookups'
  'Confirmations'
  'WatchdogTraffic'
  'WatchdogIncidents'
  'WatchdogState'
  'jobruns'
]

// A Key Vault reference resolved by the platform with keyVaultReferenceIdentity; the value never passes here.
func keyVaultReference(vault string, secret string) string =>
  '@Microsoft.KeyVault(VaultName=${vault};SecretName=${secret})'

func keySettings(section string, entries keyEntry[]) object =>
  union(
    toObject(range(0, length(entries)), i => '${section}__${i}__Id', i => entries[i].id),
    toObject(range(0, length(entries)), i => '${section}__${i}__KeySalt', i => entries[i].keySalt),
    toObject(range(0, length(entries)), i => '${section}__${i}__KeyHash', i => entries[i].keyHash)
  )

var senderSettings = empty(twilioMessagingServiceSid)
  ? { Sms__Twilio__From: twilioFrom }
  : { Sms__Twilio__MessagingServiceSid: twilioMessagingServiceSid }

var entraSettings = entraAuthEnabled
  ? union(
      { Auth__TrustAppServiceAuthentication: 'true' },
      toObject(
        range(0, length(entraPrincipals)),
        i => 'Auth__Principals__${i}__ObjectId',
        i => entraPrincipals[i].objectId
      ),
      toObject(
        range(0, length(entraPrincipals)),
        i => 'Auth__Principals__${i}__CallerId',
        i => entraPrincipals[i].callerId
      )
    )
  : {}

var loginEndpoint = environment().authentication.loginEndpoint
var oauthTenantIds = empty(oauthTenants) ? [entraTenantId] : oauthTenants
var oauthAudiences = union(empty(entraClientId) ? [] : [entraClientId, 'api://${entraClientId}'], entraAllowedAudiences)
var oauthSettings = oauthEnabled
  ? union(
      {
        Auth__OAuth__Enabled: 'true'
        Auth__OAuth__Resource: 'https://${publicHost}/mcp'
        Auth__OAuth__EntraInstance: loginEndpoint
      },
      toObject(range(0, length(oauthTenantIds)), i => 'Auth__OAuth__EntraTenantIds__${i}', i => oauthTenantIds[i]),
      toObject(range(0, length(oauthAudiences)), i => 'Auth__OAuth__Audiences__${i}', i => oauthAudiences[i]),
      toObject(
        range(0, length(oauthPrincipals)),
        i => 'Auth__OAuth__Principals__${i}__Issuer',
        i => '${loginEndpoint}${oauthPrincipals[i].?tenantId ?? entraTenantId}/v2.0'
      ),
      toObject(
        range(0, length(oauthPrincipals)),
        i => 'Auth__OAuth__Principals__${i}__Subject',
        i => oauthPrincipals[i].objectId
      ),
      toObject(
        range(0, length(oauthPrincipals)),
        i => 'Auth__OAuth__Principals__${i}__CallerId',
        i => oauthPrincipals[i].callerId
      )
    )
  : {}

// The watchdog's alert channels (Watchdog:Alerts): each written only when turned on. The webhook's signing secret is
// read by the app's own Key Vault client (re-read every 10 minutes, so a rotation needs no restart); the chat URLs are
// credentials, so they are Key Vault references. On-call SMS comes from the policy, not from settings.
var alertWebhookSettings = empty(alertWebhookUrl)
  ? {}
  : {
      Watchdog__Alerts__WebhookUrl: alertWebhookUrl
      Watchdog__Alerts__WebhookSecretName: 'alert-webhook-secret'
      Watchdog__Alerts__KeyVaultUri: keyVaultUri
      Watchdog__Alerts__ManagedIdentityClientId: identity.outputs.clientId
    }
var alertChatSettings = union(
  alertTeamsEnabled ? { Watchdog__Alerts__TeamsUrl: keyVaultReference(keyVaultName, 'alert-teams-url') } : {},
  alertSlackEnabled ? { Watchdog__Alerts__SlackUrl: keyVaultReference(keyVaultName, 'alert-slack-url') } : {}
)

// Every setting the server reads in Azure (README "Configuration"); tests bind these into the server's options.
var smsMcpSettings = union(
  {
    Storage__Provider: 'AzureTables'
    Storage__TableServiceUri: 'https://${storageAccountName}.table.${environment().suffixes.storage}'
    Storage__ManagedIdentityClientId: identity.outputs.clientId
    Sms__Provider: 'Twilio'
    Sms__Twilio__AccountSid: twilioAccountSid
    Sms__Twilio__KeyVaultUri: keyVaultUri
    Sms__Twilio__KeyVaultCredentialKind: twilioCredentialKind
    Sms__Twilio__ManagedIdentityClientId: identity.outputs.clientId
    Sms__Twilio__StatusCallbackUrl: 'https://${publicHost}/twilio/status'
    Webhooks__PublicBaseUrl: 'https://${publicHost}'
    Audit__PseudonymizationKey: keyVaultReference(keyVaultName, 'audit-pseudonymization-key')
    Audit__SealKey: keyVaultReference(keyVaultName, 'audit-seal-key')
    AuditHeads__BlobContainerUri: 'https://${storageAccountName}.blob.${environment().suffixes.storage}/${auditHeadsContainerName}'
    Policy__Path: policyPath
    Mcp__AllowedHosts__0: publicHost
  },
  senderSettings,
  entraSettings,
  oauthSettings,
  keySettings('Auth__Callers', apiKeyCallers),
  keySettings('Admin__Keys', adminKeys),
  alertWebhookSettings,
  alertChatSettings
)

resource resourceGroup 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: '${abbreviation.resourceGroup}${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  scope: resourceGroup
  params: {
    name: '${abbreviation.identity}${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  scope: resourceGroup
  params: {
    name: storageAccountName
    location: location
    tags: tags
    tableNames: tableNames
    deploymentContainerName: deploymentContainerName
    hostContainerNames: hostContainerNames
    auditHeadsContainerName: auditHeadsContainerName
    auditHeadsRetentionDays: auditHeadsRetentionDays
    privateNetworking: vnetEnabled
  }
}

module keyVault 'modules/keyvault.bicep' = {
  scope: resourceGroup
  params: {
    name: keyVaultName
    location: location
    tags: tags
    publicNetworkAccess: keyVaultPublicNetworkAccess
  }
}

module monitoring 'modules/monitoring.bicep' = {
  scope: resourceGroup
  params: {
    logAnalyticsName: '${abbreviation.logAnalytics}${resourceToken}'
    applicationInsightsName: applicationInsightsName
    location: location
    tags: tags
  }
}

module network 'modules/network.bicep' = if (vnetEnabled) {
  scope: resourceGroup
  params: {
    vnetName: '${abbreviation.vnet}${resourceToken}'
    location: location
    tags: tags
    storageAccountName: storageAccountName
    keyVaultName: keyVaultName
  }
  dependsOn: [
    storage
    keyVault
  ]
}

module roles 'modules/roles.bicep' = {
  scope: resourceGroup
  params: {
    principalId: identity.outputs.principalId
    storageAccountName: storageAccountName
    deploymentContainerName: deploymentContainerName
    hostContainerNames: hostContainerNames
    auditHeadsContainerName: auditHeadsContainerName
    keyVaultName: keyVaultName
    applicationInsightsName: applicationInsightsName
  }
  dependsOn: [
    storage
    keyVault
    monitoring
  ]
}

module functionApp 'modules/functionapp.bicep' = {
  scope: resourceGroup
  params: {
    planName: '${abbreviation.plan}${resourceToken}'
    appName: appName
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storageAccountName
    deploymentContainerUrl: 'https://${storageAccountName}.blob.${environment().suffixes.storage}/${deploymentContainerName}'
    applicationInsightsName: applicationInsightsName
    dotnetVersion: dotnetVersion
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    vnetIntegration: vnetEnabled
    subnetId: vnetEnabled ? network!.outputs.appSubnetId : ''
    smsMcpSettings: smsMcpSettings
    entraAuth: {
      enabled: entraAuthEnabled
      tenantId: entraTenantId
      clientId: entraClientId
      allowedTenants: entraAllowedTenants
      allowedAudiences: empty(entraAllowedAudiences) ? ['api://${entraClientId}'] : entraAllowedAudiences
      allowedPrincipalObjectIds: map(entraPrincipals, p => p.objectId)
      excludedPaths: [
        '/twilio/status'
        '/admin'
      ]
    }
  }
  // The app must not start before its identity may read its package, storage and vault.
  dependsOn: [
    roles
  ]
}

module alerts 'modules/alerts.bicep' = {
  scope: resourceGroup
  params: {
    namePrefix: resourceToken
    location: location
    tags: tags
    applicationInsightsName: applicationInsightsName
    heartbeatFunctionName: 'anomaly-scan'
    emailReceivers: alertEmailReceivers
    metricNames: {
      sends: 'smsmcp.sends'
      refusals: 'smsmcp.refusals'
      spend: 'smsmcp.spend'
      alerts: 'smsmcp.watchdog.alerts'
      suspensions: 'smsmcp.suspensions'
    }
  }
  dependsOn: [
    monitoring
  ]
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = subscription().tenantId
output AZURE_RESOURCE_GROUP string = resourceGroup.name
output AZURE_FUNCTION_APP_NAME string = appName
output AZURE_KEY_VAULT_NAME string = keyVaultName
output AZURE_STORAGE_ACCOUNT_NAME string = storageAccountName
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output SMSMCP_MCP_URL string = 'https://${publicHost}/mcp'
output SMSMCP_STATUS_CALLBACK_URL string = 'https://${publicHost}/twilio/status'
