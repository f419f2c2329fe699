using SmsMcp.Core.Providers;

namespace SmsMcp.Core.Tests.Infrastructure;

/// <summary>Awaits <paramref name="beforeSend"/> as the provider is called, then passes the message on: a marker, or a check of what must already be stored.</summary>
public sealed class MarkingSmsProvider(ISmsProvider inner, Func<ProviderMessage, Task> beforeSend) : ISmsProvider
{
    public string Name => inner.Name;

    public async Task<ProviderSendResult> SendAsync(ProviderMessage message, CancellationToken cancellationToken)
    {
        await beforeSend(message);
        return await inner.SendAsync(message, cancellationToken);
    }
}
