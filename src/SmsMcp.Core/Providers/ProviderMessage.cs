using SmsMcp.Core.Content;
using SmsMcp.Core.Phone;

namespace SmsMcp.Core.Providers;

/// <summary>A message cleared by the pipeline, ready for the carrier.</summary>
public sealed record ProviderMessage(string MessageId, PhoneNumber To, string Body, SmsSegmentation Segmentation);
