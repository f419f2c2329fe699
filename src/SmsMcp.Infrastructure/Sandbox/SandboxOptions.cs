namespace SmsMcp.Infrastructure.Sandbox;

/// <summary>The sandbox provider (configuration section <c>Sms:Sandbox</c>): a local file instead of a carrier.</summary>
public sealed class SandboxOptions
{
    public const string SectionName = "Sms:Sandbox";

    /// <summary>
    /// The JSON-lines file each accepted message is appended to. Default: <c>sandbox-outbox.jsonl</c> in the
    /// data directory. It holds real numbers and bodies (it stands in for the recipient's phone): keep it local.
    /// </summary>
    public string? OutboxPath { get; set; }
}
