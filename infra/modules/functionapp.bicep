// Flex Consumption plan and the isolated-worker function app. The app runs as one user-assigned identity
// for everything: deployment package, host storage, Table Storage, Key Vault (references and SDK reads) and
// Application Insights ingestion. No key, password or connection string with a secret appears in its settings.
param planName string
param appName string
param location string
param tags object

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity.')
param identityClientId string

param storageAccountName string
param deploymentContainerUrl string
param applicationInsightsName string

@description('.NET version of the isolated worker (the projects\' target framework).')
param dotnetVersion string

@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Integrate with a VNet (all outbound traffic through it).')
param vnetIntegration bool

@description('With vnetIntegration: the subnet delegated to Microsoft.App/environments.')
param subnetId string

@description('The SmsMcp settings (Section__Key names) the app reads; secrets in them are Key Vault references.')
param smsMcpSettings object

@description('Built-in authentication with Microsoft Entra ID in front of /mcp.')
param entraAuth entraAuthSettings

@export()
@description('Entra built-in authentication. The tenant and app registration are made outside Bicep (no Graph extension).')
type entraAuthSettings = {
  @description('Turn it on.')
  enabled: bool

  @description('Tenant that issues tokens (the app registration\'s home tenant).')
  tenantId: string

  @description('Application (client) id of the app registration that represents the MCP server.')
  clientId: string

  @description('Tenants whose tokens are accepted; empty means only tenantId.')
  allowedTenants: string[]

  @description('Accepted token audiences, e.g. api://<client id>.')
  allowedAudiences: string[]

  @description('Object ids of the principals let through (the callers mapped in Auth:Principals).')
  allowedPrincipalObjectIds: string[]

  @description('Paths reachable without a token: Twilio\'s status callbacks, and /admin (operator keys).')
  excludedPaths: string[]
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

var platformSettings = {
  // Host storage through the identity (no AzureWebJobsStorage connection string exists).
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  // Ingestion with Entra ID: the resource has local authentication disabled.
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  // DefaultAzureCredential in the worker (telemetry exporter, SDK clients without their own setting).
  AZURE_CLIENT_ID: identityClientId
}

resource app 'Microsoft.Web/sites@2024-11-01' = {
  name: appName
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientCertEnabled: false
    keyVaultReferenceIdentity: identityId
    virtualNetworkSubnetId: vnetIntegration ? subnetId : null
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      runtime: {
        name: 'dotnet-isolated'
        version: dotnetVersion
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      vnetRouteAllEnabled: vnetIntegration
    }
  }
}

// The whole set, replacing whatever was there: a setting removed here is removed from the app.
resource appSettings 'Microsoft.Web/sites/config@2024-11-01' = {
  parent: app
  name: 'appsettings'
  properties: union(platformSettings, smsMcpSettings)
}

resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: app
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: app
  name: 'scm'
  properties: {
    allow: false
  }
}

// One tenant: tokens must come from its issuer. Several: the 'organizations' issuer accepts any tenant, so the
// allowed principals below (and the server's own Auth:Principals mapping) are what keeps other tenants out.
var singleTenant = empty(entraAuth.allowedTenants) || entraAuth.allowedTenants == [entraAuth.tenantId]
var issuerTenant = singleTenant ? entraAuth.tenantId : 'organizations'

resource authSettings 'Microsoft.Web/sites/config@2024-11-01' = if (entraAuth.enabled) {
  parent: app
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'Return401'
      excludedPaths: entraAuth.excludedPaths
    }
    httpSettings: {
      requireHttps: true
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: entraAuth.clientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${issuerTenant}/v2.0'
        }
        validation: {
          allowedAudiences: entraAuth.allowedAudiences
          defaultAuthorizationPolicy: {
            allowedPrincipals: {
              identities: entraAuth.allowedPrincipalObjectIds
            }
          }
        }
        isAutoProvisioned: false
      }
    }
  }
}

output name string = app.name
output id string = app.id
output defaultHostName string = app.properties.defaultHostName
