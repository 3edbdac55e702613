// TeamsChatPanel live-updates relay: Container Apps + Web PubSub + Key Vault + Log Analytics.
// Before the first deployment, put these secrets into the Key Vault (names below): the app registration's
// client secret, the notification certificate and its private key as PEM, and a random clientState (16-128 chars).

@description('Entra ID tenant (directory) id.')
param tenantId string = subscription().tenantId

@description('Client id of the panel\'s app registration (it exposes api://{clientId}/access_as_user).')
param clientId string

@allowed([ 'perUser', 'tenant' ])
param mode string = 'perUser'

@description('Comma-separated origins allowed to negotiate, e.g. https://*.crm.dynamics.com')
param allowedOrigins string = 'https://*.crm.dynamics.com'

@description('Container image of the relay (relay/Dockerfile).')
param image string

@description('encryptionCertificateId sent to Graph (up to 128 characters).')
param notificationCertId string = 'relay-notifications-1'

@description('Minutes a per-user subscription outlives the user\'s last panel.')
param graceMinutes int = 15

param location string = resourceGroup().location
param namePrefix string = 'tcp-relay'

var suffix = uniqueString(resourceGroup().id)
var hubName = 'chat'

resource logs 'Microsoft.OperationalInsights/workspaces@2022-10-01' = {
  name: '${namePrefix}-logs-${suffix}'
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${namePrefix}-id-${suffix}'
  location: location
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: take('${namePrefix}-kv-${suffix}', 24)
  location: location
  properties: {
    tenantId: tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 30
    enablePurgeProtection: true
  }
}

// Key Vault Secrets User for the relay's identity.
resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, '4633458b-17de-408a-b874-0445c86b69e6')
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6')
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource webPubSub 'Microsoft.SignalRService/webPubSub@2024-03-01' = {
  name: '${namePrefix}-wps-${suffix}'
  location: location
  sku: { name: 'Standard_S1', tier: 'Standard', capacity: 1 }
  properties: {
    disableLocalAuth: false // the relay signs client tokens and verifies event signatures with the access key
    publicNetworkAccess: 'Enabled'
  }
}

resource webPubSubConnection 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'webpubsub-connection-string'
  properties: { value: webPubSub.listKeys().primaryConnectionString }
}

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: '${namePrefix}-env-${suffix}'
  location: location
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: logs.properties.customerId
        sharedKey: logs.listKeys().primarySharedKey
      }
    }
  }
}

var kvSecret = [
  { name: 'client-secret', keyVaultUrl: '${vault.properties.vaultUri}secrets/client-secret', identity: identity.id }
  { name: 'client-state', keyVaultUrl: '${vault.properties.vaultUri}secrets/client-state', identity: identity.id }
  { name: 'notification-cert-pem', keyVaultUrl: '${vault.properties.vaultUri}secrets/notification-cert-pem', identity: identity.id }
  { name: 'notification-key-pem', keyVaultUrl: '${vault.properties.vaultUri}secrets/notification-key-pem', identity: identity.id }
  { name: 'webpubsub-connection-string', keyVaultUrl: webPubSubConnection.properties.secretUri, identity: identity.id }
]

resource relay 'Microsoft.App/containerApps@2024-03-01' = {
  name: '${namePrefix}-app'
  location: location
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  dependsOn: [ secretsUser ]
  properties: {
    managedEnvironmentId: environment.id
    configuration: {
      ingress: {
        external: true
        targetPort: 8080
        transport: 'http'
        allowInsecure: false
      }
      secrets: kvSecret
    }
    template: {
      containers: [
        {
          name: 'relay'
          image: image
          resources: { cpu: json('1.0'), memory: '2Gi' }
          env: [
            { name: 'TENANT_ID', value: tenantId }
            { name: 'CLIENT_ID', value: clientId }
            { name: 'MODE', value: mode }
            { name: 'ALLOWED_ORIGINS', value: allowedOrigins }
            { name: 'NOTIFICATION_CERT_ID', value: notificationCertId }
            { name: 'GRACE_MINUTES', value: string(graceMinutes) }
            { name: 'WEBPUBSUB_HUB', value: hubName }
            { name: 'PORT', value: '8080' }
            // The app's own FQDN, known before the revision starts.
            { name: 'PUBLIC_URL', value: 'https://${namePrefix}-app.${environment.properties.defaultDomain}' }
            { name: 'CLIENT_SECRET', secretRef: 'client-secret' }
            { name: 'CLIENT_STATE_SECRET', secretRef: 'client-state' }
            { name: 'NOTIFICATION_CERT_PEM', secretRef: 'notification-cert-pem' }
            { name: 'NOTIFICATION_KEY_PEM', secretRef: 'notification-key-pem' }
            { name: 'WEBPUBSUB_CONNECTION_STRING', secretRef: 'webpubsub-connection-string' }
          ]
          probes: [
            {
              type: 'Liveness'
              httpGet: { path: '/api/health', port: 8080 }
              periodSeconds: 30
            }
          ]
        }
      ]
      // Subscriptions, presence and timers live in memory: exactly one replica (see the admin chapter).
      scale: { minReplicas: 1, maxReplicas: 1 }
    }
  }
}

resource hub 'Microsoft.SignalRService/webPubSub/hubs@2024-03-01' = {
  parent: webPubSub
  name: hubName
  properties: {
    anonymousConnectPolicy: 'deny'
    eventHandlers: [
      {
        urlTemplate: 'https://${relay.properties.configuration.ingress.fqdn}/api/webpubsub/events'
        userEventPattern: ''
        systemEvents: [ 'connected', 'disconnected' ]
      }
    ]
  }
}

output relayUrl string = 'https://${relay.properties.configuration.ingress.fqdn}'
output keyVaultName string = vault.name
output webPubSubHost string = webPubSub.properties.hostName
