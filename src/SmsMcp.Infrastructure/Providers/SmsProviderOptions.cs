namespace SmsMcp.Infrastructure.Providers;

/// <summary>Which carrier messages go to (configuration section <c>Sms</c>).</summary>
public sealed class SmsProviderOptions
{
    public const string SectionName = "Sms";

    public const string Sandbox = "Sandbox";

    public const string Twilio = "Twilio";

    /// <summary>
    /// <c>Sandbox</c> (a local outbox file, no network) or <c>Twilio</c> (real messages; settings in <c>Sms:Twilio</c>).
    /// Required outside Development so that nothing silently falls back to the sandbox in production; in
    /// Development defaults to <c>Sandbox</c>.
    /// </summary>
    public string? Provider { get; set; }
}
