using SmsMcp.Core.Messages;

namespace SmsMcp.Core.Providers;

/// <summary>What the carrier said when it took the message.</summary>
public sealed record ProviderSendResult(MessageStatus Status, string ProviderMessageId);
