// What an operator watches: a workbook of the server's own metrics, and alert rules (function errors, HTTP 5xx,
// the watchdog's heartbeat) that notify an action group.
param namePrefix string
param location string
param tags object
param applicationInsightsName string

@description('Name of the timer function whose successful runs are the watchdog heartbeat.')
param heartbeatFunctionName string

@description('E-mail addresses the action group notifies.')
param emailReceivers string[]

@description('Metric names the server emits (OpenTelemetry instruments, landing in customMetrics).')
param metricNames metricNameSet

@export()
type metricNameSet = {
  sends: string
  refusals: string
  spend: string
  alerts: string
  suspensions: string
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: 'ag-${namePrefix}'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'smsmcp'
    enabled: true
    emailReceivers: [
      for (address, i) in emailReceivers: {
        name: 'email-${i}'
        emailAddress: address
        useCommonAlertSchema: true
      }
    ]
  }
}

var rules = [
  {
    name: 'function-errors'
    description: 'A function invocation failed.'
    severity: 2
    query: 'requests | where success == false | summarize failures = count()'
    operator: 'GreaterThan'
    threshold: 0
    window: 'PT5M'
  }
  {
    name: 'http-5xx'
    description: 'The app answered HTTP 5xx.'
    severity: 2
    query: 'requests | where toint(resultCode) >= 500 | summarize failures = count()'
    operator: 'GreaterThan'
    threshold: 0
    window: 'PT5M'
  }
  {
    name: 'watchdog-heartbeat-missing'
    description: 'The anomaly scan has not completed for 15 minutes: nobody is watching traffic.'
    severity: 1
    query: 'requests | where name == "${heartbeatFunctionName}" and success == true | summarize runs = count()'
    operator: 'LessThan'
    threshold: 1
    window: 'PT15M'
  }
]

resource alertRules 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [
  for rule in rules: {
    name: '${rule.name}-${namePrefix}'
    location: location
    tags: tags
    properties: {
      displayName: 'SmsMcp: ${rule.name}'
      description: rule.description
      severity: rule.severity
      enabled: true
      scopes: [
        applicationInsights.id
      ]
      evaluationFrequency: 'PT5M'
      windowSize: rule.window
      criteria: {
        allOf: [
          {
            query: rule.query
            timeAggregation: 'Count'
            operator: rule.operator
            threshold: rule.threshold
            failingPeriods: {
              numberOfEvaluationPeriods: 1
              minFailingPeriodsToAlert: 1
            }
          }
        ]
      }
      actions: {
        actionGroups: [
          actionGroup.id
        ]
      }
    }
  }
]

var chart = {
  sends: 'customMetrics | where name == "${metricNames.sends}" | summarize sends = sum(valueSum) by bin(timestamp, 1h) | render timechart'
  refusals: 'customMetrics | where name == "${metricNames.refusals}" | extend reason = tostring(customDimensions.reason_code) | summarize refusals = sum(valueSum) by reason, bin(timestamp, 1h) | render timechart'
  spend: 'customMetrics | where name == "${metricNames.spend}" | summarize spend = sum(valueSum) by bin(timestamp, 1d) | render columnchart'
  alerts: 'customMetrics | where name == "${metricNames.alerts}" | extend rule = tostring(customDimensions.rule) | summarize alerts = sum(valueSum) by rule, bin(timestamp, 1h) | render timechart'
  suspensions: 'customMetrics | where name == "${metricNames.suspensions}" | summarize suspensions = sum(valueSum) by bin(timestamp, 1h) | render timechart'
}

var workbookItems = [
  for panel in items(chart): {
    type: 3
    name: panel.key
    content: {
      version: 'KqlItem/1.0'
      title: panel.key
      query: panel.value
      size: 0
      timeContext: {
        durationMs: 604800000
      }
      queryType: 0
      resourceType: 'microsoft.insights/components'
    }
  }
]

var workbookContent = {
  version: 'Notebook/1.0'
  items: workbookItems
  isLocked: false
}

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(resourceGroup().id, namePrefix, 'smsmcp-workbook')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: 'SmsMcp (${namePrefix})'
    category: 'workbook'
    sourceId: applicationInsights.id
    serializedData: string(workbookContent)
  }
}

output actionGroupId string = actionGroup.id
