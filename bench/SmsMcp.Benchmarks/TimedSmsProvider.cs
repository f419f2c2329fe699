using System.Diagnostics;
using SmsMcp.Core.Providers;

namespace SmsMcp.Benchmarks;

/// <summary>Times the provider call, so the pipeline's own cost can be told from the (sandbox) provider's.</summary>
public sealed class TimedSmsProvider(ISmsProvider inner) : ISmsProvider
{
    private long _elapsedTicks;

    public string Name => inner.Name;

    /// <summary>Total time spent in the provider so far.</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _elapsedTicks));

    public async Task<ProviderSendResult> SendAsync(ProviderMessage message, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await inner.SendAsync(message, cancellationToken);
        }
        finally
        {
            Interlocked.Add(ref _elapsedTicks, Stopwatch.GetTimestamp() - started);
        }
    }
}
