namespace SmsMcp.Core.Quotas;

/// <summary>
/// One lock stripe of the <see cref="QuotaLedger"/>: the changes queued for its entities, and whether a writer is
/// draining them. One writer per stripe at a time, so an entity sees at most one contender per instance.
/// </summary>
internal sealed class QuotaStripe
{
    private readonly object _gate = new();
    private readonly List<QueuedQuotaChange> _waiting = [];
    private volatile bool _busy;

    /// <summary>Whether changes are being written or wait: a new one would queue.</summary>
    public bool Busy => _busy;

    /// <summary>Queues <paramref name="change"/>; true when the caller must start the writer (none was running).</summary>
    public bool Enqueue(QueuedQuotaChange change)
    {
        lock (_gate)
        {
            _waiting.Add(change);
            if (_busy)
            {
                return false;
            }

            _busy = true;
            return true;
        }
    }

    /// <summary>
    /// Takes the oldest waiting change and, in order, up to <paramref name="max"/> in all of those for the same entity
    /// (changes to another entity of the stripe wait for the next write); dropped are those whose callers gave up. Empty
    /// when nothing waits — the writer then stops, and the next change starts a new one.
    /// </summary>
    public List<QueuedQuotaChange> TakeBatch(int max)
    {
        lock (_gate)
        {
            var batch = new List<QueuedQuotaChange>();
            string? partitionKey = null;
            for (var i = 0; i < _waiting.Count && batch.Count < max;)
            {
                var change = _waiting[i];
                if (partitionKey is not null && change.PartitionKey != partitionKey)
                {
                    i++;
                    continue;
                }

                _waiting.RemoveAt(i);
                if (change.TryTake())
                {
                    partitionKey = change.PartitionKey;
                    batch.Add(change);
                }
            }

            if (batch.Count == 0)
            {
                _busy = false;
            }

            return batch;
        }
    }
}
