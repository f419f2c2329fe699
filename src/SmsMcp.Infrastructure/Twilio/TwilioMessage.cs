namespace SmsMcp.Infrastructure.Twilio;

/// <summary>
/// The parts of Twilio's Message resource we use. <see cref="Status"/> is Twilio's own word ("queued", "delivered", …);
/// <see cref="To"/> is the recipient as Twilio holds it (a raw number: never log it).
/// </summary>
public sealed record TwilioMessage(string Sid, string Status, int? ErrorCode, string? To = null)
{
    // The generated ToString would print the raw number: leave it out.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"Sid = {Sid}, Status = {Status}, ErrorCode = {ErrorCode}");
        return true;
    }
}
