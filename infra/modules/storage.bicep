// One account for the app's tables, the Functions host's own blobs and the Flex deployment package.
// Shared keys are off: every client (host, app, deployment) authenticates with the app's managed identity.
param name string
param location string
param tags object

@description('Tables the app writes. It also creates them at start; declaring them here means a deployment owns them.')
param tableNames string[]

@description('Container Flex Consumption deploys the package to.')
param deploymentContainerName string

@description('Containers the Functions host keeps its timer schedule, locks and keys in.')
param hostContainerNames string[]

@description('Container the app publishes the audit trail\'s chain heads to (append blobs only, never rewritten).')
param auditHeadsContainerName string

@description('Days each audit head blob stays immutable (WORM) after it is created.')
param auditHeadsRetentionDays int

@description('With VNet integration, the account is reachable only through private endpoints.')
param privateNetworking bool

resource account 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: privateNetworking ? 'Deny' : 'Allow'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2024-01-01' = {
  parent: account
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource hostContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = [
  for container in hostContainerNames: {
    parent: blobService
    name: container
    properties: {
      publicAccess: 'None'
    }
  }
]

// Time-based retention (WORM) with protected append writes: the app's identity can create head blobs and append to
// them, but nobody can overwrite or delete a blob until its retention ends. Unlocked as deployed, so a deployment
// can still change the period; lock it once (docs/deploy.md) and not even the account owner can shorten it.
resource auditHeadsContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = {
  parent: blobService
  name: auditHeadsContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource auditHeadsImmutability 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2024-01-01' = {
  parent: auditHeadsContainer
  name: 'default'
  properties: {
    immutabilityPeriodSinceCreationInDays: auditHeadsRetentionDays
    allowProtectedAppendWrites: true
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2024-01-01' = {
  parent: account
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2024-01-01' = [
  for table in tableNames: {
    parent: tableService
    name: table
  }
]

output id string = account.id
output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output tableEndpoint string = account.properties.primaryEndpoints.table
output auditHeadsContainerUrl string = '${account.properties.primaryEndpoints.blob}${auditHeadsContainer.name}'
output deploymentContainerUrl string = '${account.properties.primaryEndpoints.blob}${deploymentContainer.name}'
