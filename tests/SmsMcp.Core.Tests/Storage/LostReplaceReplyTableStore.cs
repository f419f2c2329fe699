using SmsMcp.Core.Storage;
using SmsMcp.Core.Tests.Infrastructure;

namespace SmsMcp.Core.Tests.Storage;

/// <summary>
/// Carries out every replace (and every transaction that starts with one) and then, when armed for its table, answers it
/// with 412: what a client sees when its transport retries a replace-if-match, or an entity group transaction starting
/// with one, whose first attempt landed but whose response was lost (the retry's ETag no longer matches).
/// </summary>
public sealed class LostReplaceReplyTableStore(ITableStore inner) : DelegatingTableStore(inner)
{
    private readonly Dictionary<string, int> _misreports = new(StringComparer.Ordinal);

    /// <summary>Misreports the next <paramref name="count"/> landed replaces into <paramref name="table"/>.</summary>
    public void Misreport(string table, int count = 1) => _misreports[table] = count;

    /// <summary>Landed replaces still to be misreported, per table.</summary>
    public int Remaining(string table) => _misreports.GetValueOrDefault(table);

    public override async Task<string> ReplaceAsync(string table, TableEntity entity, string ifMatch, CancellationToken cancellationToken)
    {
        var etag = await Inner.ReplaceAsync(table, entity, ifMatch, cancellationToken);
        ThrowIfArmed(table, null);
        return etag;
    }

    public override async Task<IReadOnlyList<string?>> SubmitTransactionAsync(string table, IReadOnlyList<TableWrite> writes, CancellationToken cancellationToken)
    {
        var etags = await Inner.SubmitTransactionAsync(table, writes, cancellationToken);
        if (writes[0].Kind == TableWriteKind.Replace)
        {
            ThrowIfArmed(table, 0);
        }

        return etags;
    }

    private void ThrowIfArmed(string table, int? failedWriteIndex)
    {
        lock (_misreports)
        {
            if (_misreports.GetValueOrDefault(table) > 0)
            {
                _misreports[table]--;
                throw new PreconditionFailedException(table) { FailedWriteIndex = failedWriteIndex };
            }
        }
    }
}
