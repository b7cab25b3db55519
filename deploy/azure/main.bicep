// Pandu on Azure: the Azure Bot resource with its Microsoft Teams channel, the bot's container on
// App Service (Linux, Web App for Containers), its image registry and the Blob storage that holds
// its state. deploy/README.md, step 2a, walks through it:
//
//   az deployment group create --resource-group <rg> \
//     --template-file deploy/azure/main.bicep \
//     --parameters @deploy/azure/main.parameters.json
//
// Secrets:
// - microsoftAppPassword (the client secret of the Entra app registration) is a @secure()
//   parameter without a default: it is never in a file of this repository, never in the
//   deployment history, never in an output. Leave it out of the parameters file and az prompts for
//   it without echo, or pass it from a variable.
// - The storage connection string is not a parameter at all: it is built here from the key of the
//   storage account this template creates (listKeys) and goes straight into the app setting
//   PANDU_BLOB_CONNECTION_STRING. It never passes through a file or an output.
// Both end up as App Service app settings (encrypted at rest, readable by whoever may read the
// web app's configuration). A Key Vault with Key Vault references is the stricter alternative;
// this template does not create one.

targetScope = 'resourceGroup'

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

@description('Region of the App Service plan, web app, registry and storage account (the Azure Bot resource is global). Indonesia Central, where the subscription offers it, keeps the bot\'s data in Indonesia.')
param location string = resourceGroup().location

@description('Application (client) ID of the bot\'s single-tenant app registration in Microsoft Entra ID (a GUID).')
@minLength(36)
@maxLength(36)
param microsoftAppId string

@description('Directory (tenant) ID of that app registration (a GUID). Default: the tenant of this deployment.')
@minLength(36)
@maxLength(36)
param microsoftAppTenantId string = tenant().tenantId

@description('A client secret of the app registration (Certificates & secrets). Never give it a default and never commit it.')
@secure()
param microsoftAppPassword string

@description('Entra tenant ids allowed to talk to Pandu, comma-separated. Empty: the app registration\'s own tenant only.')
param allowedTenants string = ''

@description('Teams (Entra) object ids of Pandu\'s admins, comma-separated. Empty: no admins.')
param adminIds string = ''

@description('Name of the web app; it answers at https://<name>.azurewebsites.net. Globally unique; letters, digits and hyphens (at most 55, so that "<name>-plan" fits the plan\'s limit of 60).')
@minLength(2)
@maxLength(55)
param webAppName string = 'pandu-${uniqueString(resourceGroup().id)}'

@description('https base URL of the bot, without a trailing slash, when a custom domain is bound to the web app. Empty: https://<webAppName>.azurewebsites.net.')
param publicUrl string = ''

@description('Name of the Azure Bot resource. Globally unique; 2-64 letters, digits, hyphens, underscores and periods.')
@minLength(2)
@maxLength(64)
param botName string = 'pandu-bot-${uniqueString(resourceGroup().id)}'

@description('Display name of the bot.')
param botDisplayName string = 'Pandu'

@description('Pricing tier of the Azure Bot resource: F0 (free; unlimited messages on the standard channels, which include Microsoft Teams) or S1.')
@allowed([
  'F0'
  'S1'
])
param botSku string = 'F0'

@description('App Service plan tier (Linux). B1 is the smallest tier with Always On.')
@allowed([
  'B1'
  'B2'
  'B3'
  'S1'
  'S2'
  'P0v3'
  'P1v3'
])
param appServicePlanSku string = 'B1'

@description('Name of the container registry. Globally unique; 5-50 letters and digits.')
@minLength(5)
@maxLength(50)
param containerRegistryName string = 'panducr${uniqueString(resourceGroup().id)}'

@description('Tag of the image pandu:<tag> in the registry that the web app runs (built with az acr build, see deploy/README.md).')
param imageTag string = '0.1.0'

@description('Name of the storage account. Globally unique; 3-24 lowercase letters and digits.')
@minLength(3)
@maxLength(24)
param storageAccountName string = 'pandust${uniqueString(resourceGroup().id)}'

@description('Private blob container that holds Pandu\'s state (PANDU_BLOB_CONTAINER).')
@minLength(3)
@maxLength(63)
param blobContainerName string = 'pandu'

@description('Tags put on every resource.')
param tags object = {
  application: 'pandu'
  owner: 'Dinas Sosial Provinsi NTT'
}

// ---------------------------------------------------------------------------------------------
// Derived values
// ---------------------------------------------------------------------------------------------

var baseUrl = empty(publicUrl) ? 'https://${webAppName}.azurewebsites.net' : publicUrl
var messagingEndpoint = '${baseUrl}/api/messages'
var tenantsAllowed = empty(allowedTenants) ? microsoftAppTenantId : allowedTenants
var containerImage = '${registry.properties.loginServer}/pandu:${imageTag}'
// Built-in role "AcrPull": pull images from a container registry.
var acrPullRoleDefinitionId = '7f951dda-4ed3-4680-a7ca-43fe172d538d'

// ---------------------------------------------------------------------------------------------
// Storage: Pandu's state when PANDU_STORE=blob (one JSON blob per document)
// ---------------------------------------------------------------------------------------------

// Storage account: general-purpose v2, locally redundant, https and TLS 1.2 only, no anonymous
// (public) blob access anywhere in the account. Shared-key access stays on because the bot
// authenticates with the connection string.
resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: true
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

// Blob service: versioning keeps every earlier version of a document and soft delete keeps
// deleted blobs and containers for 14 days; together they are the first line of backup
// (deploy/README.md, step 5).
resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    isVersioningEnabled: true
    deleteRetentionPolicy: {
      enabled: true
      days: 14
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: 14
    }
  }
}

// The private container holding the state (no anonymous access).
resource stateContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: blobContainerName
  properties: {
    publicAccess: 'None'
  }
}

// Lifecycle rule: earlier versions are deleted 30 days after they were superseded, so that
// versioning does not grow without bound.
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-05-01' = {
  parent: storage
  name: 'default'
  dependsOn: [
    blobService
  ]
  properties: {
    policy: {
      rules: [
        {
          name: 'delete-old-versions'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
            }
            actions: {
              version: {
                delete: {
                  daysAfterCreationGreaterThan: 30
                }
              }
            }
          }
        }
      ]
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Container registry and App Service
// ---------------------------------------------------------------------------------------------

// Container registry for the image built from deploy/Dockerfile. No admin user: the web app pulls
// with its managed identity (role assignment below).
resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: containerRegistryName
  location: location
  tags: tags
  sku: {
    name: 'Basic'
  }
  properties: {
    adminUserEnabled: false
  }
}

// App Service plan: Linux ("reserved"), one instance.
resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${webAppName}-plan'
  location: location
  tags: tags
  kind: 'linux'
  sku: {
    name: appServicePlanSku
  }
  properties: {
    reserved: true
  }
}

// Web app for containers running the Pandu image: https only, TLS 1.2 at least, FTP off, Always On
// (so that the bot answers the first message of the morning without a cold start), App Service
// health check on /healthz. The settings are Pandu's configuration (.env.example); NODE_ENV,
// PANDU_HOST and PANDU_DATA_DIR are also set in the image.
resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  name: webAppName
  location: location
  tags: tags
  kind: 'app,linux,container'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    siteConfig: {
      linuxFxVersion: 'DOCKER|${containerImage}'
      acrUseManagedIdentityCreds: true
      alwaysOn: true
      http20Enabled: true
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      healthCheckPath: '/healthz'
      appSettings: [
        // App Service: the container listens on 3978; no /home share (the state is in Blob).
        {
          name: 'WEBSITES_PORT'
          value: '3978'
        }
        {
          name: 'WEBSITES_ENABLE_APP_SERVICE_STORAGE'
          value: 'false'
        }
        {
          name: 'DOCKER_REGISTRY_SERVER_URL'
          value: 'https://${registry.properties.loginServer}'
        }
        // Pandu: production mode with a single-tenant bot identity.
        {
          name: 'NODE_ENV'
          value: 'production'
        }
        {
          name: 'PORT'
          value: '3978'
        }
        {
          name: 'MicrosoftAppType'
          value: 'SingleTenant'
        }
        {
          name: 'MicrosoftAppId'
          value: microsoftAppId
        }
        {
          name: 'MicrosoftAppTenantId'
          value: microsoftAppTenantId
        }
        {
          name: 'MicrosoftAppPassword'
          value: microsoftAppPassword
        }
        {
          name: 'PANDU_ALLOWED_TENANTS'
          value: tenantsAllowed
        }
        {
          name: 'PANDU_ADMIN_IDS'
          value: adminIds
        }
        {
          name: 'PANDU_PUBLIC_URL'
          value: baseUrl
        }
        // State in the private blob container (several instances may share it).
        {
          name: 'PANDU_STORE'
          value: 'blob'
        }
        {
          name: 'PANDU_BLOB_CONTAINER'
          value: stateContainer.name
        }
        {
          name: 'PANDU_BLOB_CONNECTION_STRING'
          value: 'DefaultEndpointsProtocol=https;AccountName=${storage.name};AccountKey=${storage.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}'
        }
      ]
    }
  }
}

// No FTP and no basic-auth (user name and password) publishing: deployments go through the
// registry, and az commands use Entra sign-in.
resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: webApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

// Same for the SCM (Kudu) site.
resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: webApp
  name: 'scm'
  properties: {
    allow: false
  }
}

// The web app's managed identity may pull images from the registry (AcrPull, nothing more).
// Creating a role assignment needs Owner or User Access Administrator on the resource group.
resource acrPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, webApp.id, acrPullRoleDefinitionId)
  scope: registry
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', acrPullRoleDefinitionId)
    principalId: webApp.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

// ---------------------------------------------------------------------------------------------
// Azure Bot: the Bot Connector's registration of Pandu, and its Microsoft Teams channel
// ---------------------------------------------------------------------------------------------

// Azure Bot resource (kind azurebot), single tenant: the Bot Connector sends Teams activities to
// the messaging endpoint with tokens for this app id, and accepts the bot's replies signed with the
// app registration's secret.
resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: botName
  location: 'global'
  tags: tags
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: {
    displayName: botDisplayName
    description: 'Pandu guides the staff of Dinas Sosial Provinsi NTT through their business processes.'
    endpoint: messagingEndpoint
    msaAppId: microsoftAppId
    msaAppType: 'SingleTenant'
    msaAppTenantId: microsoftAppTenantId
    publicNetworkAccess: 'Enabled'
  }
}

// The Microsoft Teams channel, the only channel enabled (no calling).
resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
      enableCalling: false
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Outputs (no secrets)
// ---------------------------------------------------------------------------------------------

@description('The messaging endpoint registered on the Azure Bot resource.')
output botEndpoint string = messagingEndpoint

@description('Default host name of the web app.')
output webAppHostName string = webApp.properties.defaultHostName

@description('Login server of the container registry, for az acr build and docker push.')
output containerRegistryLoginServer string = registry.properties.loginServer

@description('The image the web app runs.')
output containerImage string = containerImage

@description('Name of the Azure Bot resource.')
output botResourceName string = bot.name

@description('Name of the storage account holding the state.')
output storageAccountName string = storage.name
