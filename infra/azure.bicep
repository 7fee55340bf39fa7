// Passkey Helpdesk on Azure: what `atk provision` creates (docs/deploy.md#what-provisioning-creates).
// Kept close to the Agents Toolkit's bot template. Bicep can't be compiled offline where this was
// written: the toolkit downloads the compiler at provision time (bicepCliVersion in m365agents.yml).

@maxLength(20)
@minLength(4)
@description('Base of every resource name (letters and digits; names must be globally unique for some services).')
param resourceBaseName string

param location string = resourceGroup().location

@description('App Service plan SKU. B1 is enough for a pilot; P1v3 for production.')
param webAppSku string = 'B1'

@minValue(1)
@maxValue(10)
@description('App Service instances. More than one needs PostgreSQL: it is then created whatever enablePostgres says.')
param instanceCount int = 1

@description('PostgreSQL Flexible Server for the bot state (STORAGE_BACKEND=postgres). Off: SQLite on the App Service storage (one instance).')
param enablePostgres bool = false

@description('Administrator login of the PostgreSQL server.')
param postgresAdminLogin string = 'helpdeskadmin'

@secure()
@description('Administrator password of the PostgreSQL server (from env/.env.dev.user: SECRET_POSTGRES_ADMIN_PASSWORD). Stored in Key Vault only.')
param postgresAdminPassword string = ''

@maxLength(42)
param botDisplayName string = 'Passkey Helpdesk'

@description('Object id of the helpdesk security group (HELPDESK_GROUP_ID).')
param helpdeskGroupId string

@description('Id of the helpdesk channel, 19:...@thread.tacv2 (HELPDESK_CHANNEL_ID).')
param helpdeskChannelId string = ''

@description('Object id of the group that may see reports besides the helpdesk (REPORT_GROUP_ID), optional.')
param reportGroupId string = ''

var usePostgres = enablePostgres || instanceCount > 1
var tenantId = subscription().tenantId

// The bot's identity: Bot Framework tokens and Microsoft Graph, without a client secret.
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  location: location
  name: resourceBaseName
}

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${resourceBaseName}-logs'
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${resourceBaseName}-insights'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
  }
}

// Secrets live here; the App Service reads them through Key Vault references with the managed identity.
resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: '${resourceBaseName}-kv'
  location: location
  properties: {
    tenantId: tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
  }
}

// Key Vault Secrets User for the bot's identity.
resource vaultSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, '4633458b-17de-408a-b874-0445c86b69e6')
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6')
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2023-06-01-preview' = if (usePostgres) {
  name: '${resourceBaseName}-pg'
  location: location
  sku: { name: 'Standard_B1ms', tier: 'Burstable' }
  properties: {
    version: '16'
    administratorLogin: postgresAdminLogin
    administratorLoginPassword: postgresAdminPassword
    storage: { storageSizeGB: 32 }
    backup: { backupRetentionDays: 7, geoRedundantBackup: 'Disabled' }
    highAvailability: { mode: 'Disabled' }
  }
}

resource postgresDatabase 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2023-06-01-preview' = if (usePostgres) {
  parent: postgres
  name: 'helpdesk'
}

// Azure services (the App Service) may connect; use private networking where policy requires it (docs/deploy.md).
resource postgresAzureAccess 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2023-06-01-preview' = if (usePostgres) {
  parent: postgres
  name: 'AllowAzureServices'
  properties: { startIpAddress: '0.0.0.0', endIpAddress: '0.0.0.0' }
}

resource databaseUrl 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (usePostgres) {
  parent: vault
  name: 'database-url'
  properties: {
    value: 'postgres://${postgresAdminLogin}:${uriComponent(postgresAdminPassword)}@${usePostgres ? postgres.properties.fullyQualifiedDomainName : ''}:5432/helpdesk?sslmode=require'
  }
}

resource serverfarm 'Microsoft.Web/serverfarms@2023-12-01' = {
  kind: 'linux'
  location: location
  name: resourceBaseName
  sku: {
    name: webAppSku
    capacity: instanceCount
  }
  properties: {
    reserved: true // Linux
  }
}

var storageSettings = usePostgres
  ? [
      { name: 'STORAGE_BACKEND', value: 'postgres' }
      { name: 'DATABASE_URL', value: '@Microsoft.KeyVault(SecretUri=${vault.properties.vaultUri}secrets/database-url/)' }
    ]
  : [
      { name: 'STORAGE_BACKEND', value: 'sqlite' }
      // /home is the App Service's persistent storage (one instance only: docs/deploy.md#storage).
      { name: 'DATA_DIR', value: '/home/data' }
      { name: 'WEBSITES_ENABLE_APP_SERVICE_STORAGE', value: 'true' }
    ]

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  kind: 'app,linux'
  location: location
  name: resourceBaseName
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: serverfarm.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      appCommandLine: 'node dist/src/cli/main.js start'
      alwaysOn: true
      healthCheckPath: '/healthz'
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      appSettings: concat(
        [
          { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'true' }
          { name: 'NODE_ENV', value: 'production' }
          { name: 'PASSKEY_HELPDESK_MODE', value: 'tenant' }
          { name: 'MicrosoftAppType', value: 'UserAssignedMSI' }
          { name: 'MicrosoftAppId', value: identity.properties.clientId }
          { name: 'MicrosoftAppTenantId', value: identity.properties.tenantId }
          { name: 'HELPDESK_GROUP_ID', value: helpdeskGroupId }
          { name: 'HELPDESK_CHANNEL_ID', value: helpdeskChannelId }
          { name: 'REPORT_GROUP_ID', value: reportGroupId }
          { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
          // App Service's codeless Application Insights agent (the product does not bundle an exporter).
          { name: 'ApplicationInsightsAgent_EXTENSION_VERSION', value: '~3' }
        ],
        storageSettings
      )
    }
  }
  dependsOn: [
    vaultSecretsUser
  ]
}

resource botService 'Microsoft.BotService/botServices@2022-09-15' = {
  kind: 'azurebot'
  location: 'global'
  name: resourceBaseName
  sku: { name: 'F0' }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${webApp.properties.defaultHostName}/api/messages'
    msaAppId: identity.properties.clientId
    msaAppMSIResourceId: identity.id
    msaAppTenantId: identity.properties.tenantId
    msaAppType: 'UserAssignedMSI'
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: botService
  location: 'global'
  name: 'MsTeamsChannel'
  properties: {
    channelName: 'MsTeamsChannel'
  }
}

// Persisted in env/.env.dev by the toolkit.
output AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output BOT_DOMAIN string = webApp.properties.defaultHostName
output BOT_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
output BOT_ID string = identity.properties.clientId
output BOT_TENANT_ID string = identity.properties.tenantId
output BOT_PRINCIPAL_ID string = identity.properties.principalId
