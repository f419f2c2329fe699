namespace SmsMcp.Functions.Tests.Infrastructure;

/// <summary>The settings both hosts get in these tests: Development, a fixed dev key, Twilio configured (so the status webhook checks signatures).</summary>
public static class HostSettings
{
    public const string ApiKey = "test-dev-key-0123456789abcdefghijklmnop";

    public static IReadOnlyList<KeyValuePair<string, string>> Common(string dataDirectory) =>
    [
        new("SMSMCP_DATA_DIR", dataDirectory),
        new("SMSMCP_DEV_API_KEY", ApiKey),
        new("Sms:Provider", "Twilio"),
        new("Sms:Twilio:AccountSid", "AC0123456789abcdef0123456789abcdef"),
        new("Sms:Twilio:AuthToken", "0123456789abcdef0123456789abcdef"),
        new("Sms:Twilio:From", "+12025550100"),
        new("Webhooks:PublicBaseUrl", "https://smsmcp.example.com"),
        new("Schedule:Enabled", "false"),
    ];
}
