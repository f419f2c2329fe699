// azd fills these from the environment (`azd env set NAME value`); docs/deploy.md lists them.
using 'main.bicep'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME')
param location = readEnvironmentVariable('AZURE_LOCATION')
param twilioAccountSid = readEnvironmentVariable('TWILIO_ACCOUNT_SID')
param twilioFrom = readEnvironmentVariable('TWILIO_FROM', '')
param twilioMessagingServiceSid = readEnvironmentVariable('TWILIO_MESSAGING_SERVICE_SID', '')
param twilioCredentialKind = readEnvironmentVariable('TWILIO_CREDENTIAL_KIND', 'ApiKey')
param apiKeyCallers = json(readEnvironmentVariable('SMSMCP_API_KEY_CALLERS', '[]'))
param adminKeys = json(readEnvironmentVariable('SMSMCP_ADMIN_KEYS', '[]'))
param entraAuthEnabled = bool(readEnvironmentVariable('SMSMCP_ENTRA_AUTH_ENABLED', 'false'))
param entraClientId = readEnvironmentVariable('SMSMCP_ENTRA_CLIENT_ID', '')
param entraAllowedTenants = json(readEnvironmentVariable('SMSMCP_ENTRA_ALLOWED_TENANTS', '[]'))
param entraAllowedAudiences = json(readEnvironmentVariable('SMSMCP_ENTRA_ALLOWED_AUDIENCES', '[]'))
param entraPrincipals = json(readEnvironmentVariable('SMSMCP_ENTRA_PRINCIPALS', '[]'))
param keyVaultPublicNetworkAccess = readEnvironmentVariable('SMSMCP_KEY_VAULT_PUBLIC_NETWORK_ACCESS', 'Enabled')
param vnetEnabled = bool(readEnvironmentVariable('SMSMCP_VNET_ENABLED', 'false'))
param alertEmailReceivers = json(readEnvironmentVariable('SMSMCP_ALERT_EMAILS', '[]'))
