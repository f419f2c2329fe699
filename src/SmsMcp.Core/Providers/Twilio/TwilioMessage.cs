namespace SmsMcp.Core.Providers.Twilio;

/// <summary>The parts of Twilio's Message resource we use. <see cref="Status"/> is Twilio's own word ("queued", "delivered", …).</summary>
public sealed record TwilioMessage(string Sid, string Status, int? ErrorCode);
