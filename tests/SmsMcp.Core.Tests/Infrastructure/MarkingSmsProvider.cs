using SmsMcp.Core.Providers;

namespace SmsMcp.Core.Tests.Infrastructure;

/// <summary>Runs <paramref name="onSend"/> as the provider is called, then passes the message on (a marker for what happened before).</summary>
public sealed class MarkingSmsProvider(ISmsProvider inner, Action<ProviderMessage> onSend) : ISmsProvider
{
    public string Name => inner.Name;

    public Task<ProviderSendResult> SendAsync(ProviderMessage message, CancellationToken cancellationToken)
    {
        onSend(message);
        return inner.SendAsync(message, cancellationToken);
    }
}
