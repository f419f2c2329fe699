namespace SmsMcp.Infra.Tests.Infrastructure;

/// <summary>The environment azd gives main.bicepparam: its own variables plus the ones docs/deploy.md tells the operator to set.</summary>
internal static class AzdEnvironment
{
    public static IReadOnlyDictionary<string, string> Minimal { get; } = new Dictionary<string, string>
    {
        ["AZURE_ENV_NAME"] = "smsmcp-test",
        ["AZURE_LOCATION"] = "westus2",
        ["TWILIO_ACCOUNT_SID"] = "AC0123456789abcdef0123456789abcdef",
        ["TWILIO_MESSAGING_SERVICE_SID"] = "MG0123456789abcdef0123456789abcdef",
    };
}
