using SmsMcp.Core.Content;
using SmsMcp.Core.Phone;

namespace SmsMcp.Core.Providers;

/// <summary>A message cleared by the pipeline, ready for the carrier.</summary>
public sealed record ProviderMessage(string MessageId, PhoneNumber To, string Body, SmsSegmentation Segmentation)
{
    // The generated ToString would print the body: leave it out (To prints masked by itself).
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"MessageId = {MessageId}, To = {To}, Segmentation = {Segmentation}");
        return true;
    }
}
