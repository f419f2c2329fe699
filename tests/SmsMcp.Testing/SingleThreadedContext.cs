using System.Collections.Concurrent;

namespace SmsMcp.Testing;

/// <summary>
/// Runs an async operation on the calling thread, executing every continuation it posts one at a time in arrival order:
/// the code under test then never runs two of its own steps at once, so what it issues in one synchronous step
/// (requests started together) is told apart from what it issues after an answer, whatever the machine's load.
/// </summary>
public sealed class SingleThreadedContext : SynchronizationContext, IDisposable
{
    private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _queue = [];
    private readonly Lock _gate = new();
    private bool _done;

    /// <summary>Runs <paramref name="operation"/> to completion on this thread and returns its result.</summary>
    public static T Run<T>(Func<Task<T>> operation)
    {
        var previous = Current;
        using var context = new SingleThreadedContext();
        SetSynchronizationContext(context);
        try
        {
            var task = operation();
            task.ContinueWith(_ => context.Finish(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            foreach (var (callback, state) in context._queue.GetConsumingEnumerable())
            {
                callback(state);
            }

            return task.GetAwaiter().GetResult();
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }

    public override void Post(SendOrPostCallback d, object? state)
    {
        lock (_gate)
        {
            if (!_done)
            {
                _queue.Add((d, state));
                return;
            }
        }

        // Only after the operation finished: nothing of it is left to run here.
        ThreadPool.QueueUserWorkItem(_ => d(state));
    }

    public override void Send(SendOrPostCallback d, object? state) => throw new NotSupportedException("Synchronous sends are not supported.");

    public override SynchronizationContext CreateCopy() => this;

    public void Dispose() => _queue.Dispose();

    private void Finish()
    {
        lock (_gate)
        {
            _done = true;
            _queue.CompleteAdding();
        }
    }
}
