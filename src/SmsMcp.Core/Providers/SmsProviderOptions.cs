namespace SmsMcp.Core.Providers;

/// <summary>Which carrier messages go to (configuration section <c>Sms</c>).</summary>
public sealed class SmsProviderOptions
{
    public const string SectionName = "Sms";

    /// <summary>
    /// <c>Sandbox</c> (a local outbox file, no network). Required outside Development so that nothing
    /// silently falls back to the sandbox in production; in Development defaults to <c>Sandbox</c>.
    /// (<c>Twilio</c> arrives with the Twilio issue.)
    /// </summary>
    public string? Provider { get; set; }
}
