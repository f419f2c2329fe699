// Holds the Twilio credentials, the audit keys and the watchdog's alert secrets (webhook signing secret, Teams and Slack
// webhook URLs). Their values never pass through Bicep: operators set them with `az keyvault secret set`
// (docs/deploy.md), the app reads them through its identity.
param name string
param location string
param tags object

@description('Enabled or Disabled. Disabled needs the VNet option (private endpoint) for the app to reach the vault.')
@allowed([
  'Enabled'
  'Disabled'
])
param publicNetworkAccess string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    enabledForDeployment: false
    enabledForDiskEncryption: false
    enabledForTemplateDeployment: false
    publicNetworkAccess: publicNetworkAccess
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: publicNetworkAccess == 'Enabled' ? 'Allow' : 'Deny'
    }
  }
}

output id string = vault.id
output name string = vault.name
output uri string = vault.properties.vaultUri
