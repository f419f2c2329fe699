namespace SmsMcp.Core.Quotas;

/// <summary>A change to one quota entity waiting in its <see cref="QuotaStripe"/> to be folded into a write.</summary>
internal sealed class QueuedQuotaChange(string partitionKey, Func<QuotaCounters, QuotaCounters?> change, long started)
{
    private const int Queued = 0;
    private const int Taken = 1;
    private const int Abandoned = 2;

    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _state;

    public string PartitionKey { get; } = partitionKey;

    /// <summary>Null = write nothing (a refusal, or nothing to take back).</summary>
    public Func<QuotaCounters, QuotaCounters?> Change { get; } = change;

    /// <summary>When its caller asked (<see cref="System.Diagnostics.Stopwatch"/> ticks): the write's deadline counts from the oldest change in it.</summary>
    public long Started { get; } = started;

    /// <summary>Ends once the write holding it stuck (or failed).</summary>
    public Task Done => _done.Task;

    /// <summary>True if the change now belongs to a write; false if its caller gave up first.</summary>
    public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Queued) == Queued;

    /// <summary>True if the caller gave up before any write took the change: it will never be applied.</summary>
    public bool TryAbandon() => Interlocked.CompareExchange(ref _state, Abandoned, Queued) == Queued;

    public void Complete(Exception? failure)
    {
        if (failure is null)
        {
            _done.TrySetResult();
        }
        else
        {
            _done.TrySetException(failure);
        }
    }
}
