namespace SmsMcp.Http.Jobs;

/// <summary>
/// The timer job behind the <c>anomaly-scan</c> function. A no-op until the anomaly detectors land; it exists
/// now so the trigger contract is pinned by tests.
/// </summary>
public sealed class AnomalyScanJob(ILogger<AnomalyScanJob> logger)
{
    public Task<IReadOnlyList<string>> RunAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        logger.LogInformation("Anomaly scan ran: no detectors are configured yet.");
        return Task.FromResult<IReadOnlyList<string>>(["Anomaly scan ran: no detectors are configured yet."]);
    }
}
