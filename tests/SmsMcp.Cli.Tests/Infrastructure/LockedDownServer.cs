using SmsMcp.EndToEnd.Tests.Infrastructure;

namespace SmsMcp.Cli.Tests.Infrastructure;

/// <summary>
/// The settings of a locked-down standalone server: the Twilio provider with an auth token (so the status webhook is
/// there and checks signatures) pointed at a closed loopback port (verify never sends, so Twilio is never called),
/// the default Host/Origin allow-lists (loopback only), operator keys distinct from caller keys.
/// </summary>
internal static class LockedDownServer
{
    public static Dictionary<string, string> Settings(IReadOnlyDictionary<string, string>? overrides = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Sms__Provider"] = "Twilio",
            ["Sms__Twilio__AccountSid"] = "AC0123456789abcdef0123456789abcdef",
            ["Sms__Twilio__AuthToken"] = "0123456789abcdef0123456789abcdef",
            ["Sms__Twilio__From"] = "+12025550100",
            ["Sms__Twilio__ApiBaseUrl"] = "http://127.0.0.1:9",
            ["Sms__Twilio__LookupBaseUrl"] = "http://127.0.0.1:9",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        return settings;
    }

    public static Task<ServerProcess> StartAsync(IReadOnlyDictionary<string, string>? overrides = null) => ServerProcess.StartAsync(Settings(overrides));
}
