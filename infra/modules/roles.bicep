// Exactly what the app's identity needs, each at the narrowest scope that works. No Owner, no Contributor.
param principalId string
param storageAccountName string
param deploymentContainerName string
param hostContainerNames string[]
param auditHeadsContainerName string
param keyVaultName string
param applicationInsightsName string

// Key Vault Secrets User: read secret values (Key Vault references and the app's own SecretClient).
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'
// Storage Table Data Contributor: the app's tables, and the host's diagnostic events table.
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
// Storage Blob Data Owner: Flex Consumption reads the deployment package with the identity.
var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
// Storage Blob Data Contributor: the Functions host's timer schedule, singleton locks and keys; the audit head log
// (its container's immutability policy, not the role, is what keeps published heads from being rewritten or deleted).
var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
// Monitoring Metrics Publisher: ingestion into Application Insights with Entra ID (local auth is off).
var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'

resource account 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName

  resource blobService 'blobServices' existing = {
    name: 'default'

    resource deploymentContainer 'containers' existing = {
      name: deploymentContainerName
    }

    resource auditHeadsContainer 'containers' existing = {
      name: auditHeadsContainerName
    }
  }
}

resource hostContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' existing = [
  for container in hostContainerNames: {
    parent: account::blobService
    name: container
  }
]

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, principalId, keyVaultSecretsUser)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
  }
}

resource tableData 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: account
  name: guid(account.id, principalId, storageTableDataContributor)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributor)
  }
}

resource deploymentBlobs 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: account::blobService::deploymentContainer
  name: guid(account::blobService::deploymentContainer.id, principalId, storageBlobDataOwner)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataOwner)
  }
}

resource hostBlobs 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (container, i) in hostContainerNames: {
    scope: hostContainers[i]
    name: guid(hostContainers[i].id, principalId, storageBlobDataContributor)
    properties: {
      principalId: principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
    }
  }
]

resource auditHeadBlobs 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: account::blobService::auditHeadsContainer
  name: guid(account::blobService::auditHeadsContainer.id, principalId, storageBlobDataContributor)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
  }
}

resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: applicationInsights
  name: guid(applicationInsights.id, principalId, monitoringMetricsPublisher)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
  }
}
