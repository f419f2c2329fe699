using SmsMcp.Core.Storage;
using SmsMcp.Core.Tests.Infrastructure;

namespace SmsMcp.Core.Tests.Storage;

/// <summary>
/// Carries out every insert (and every transaction holding one) and then, when armed for its table, answers it with 409:
/// what a client sees when its transport retries an insert or an entity group transaction whose first attempt landed but
/// whose response was lost (the retried transaction fails at its first insert).
/// </summary>
public sealed class LostInsertReplyTableStore(ITableStore inner) : DelegatingTableStore(inner)
{
    private readonly Dictionary<string, int> _misreports = new(StringComparer.Ordinal);

    /// <summary>Misreports the next <paramref name="count"/> landed inserts into <paramref name="table"/>.</summary>
    public void Misreport(string table, int count = 1) => _misreports[table] = count;

    /// <summary>Landed inserts still to be misreported, per table.</summary>
    public int Remaining(string table) => _misreports.GetValueOrDefault(table);

    public override async Task<string> InsertAsync(string table, TableEntity entity, CancellationToken cancellationToken)
    {
        var etag = await Inner.InsertAsync(table, entity, cancellationToken);
        lock (_misreports)
        {
            if (_misreports.GetValueOrDefault(table) > 0)
            {
                _misreports[table]--;
                throw new EntityAlreadyExistsException(table);
            }
        }

        return etag;
    }

    public override async Task<IReadOnlyList<string?>> SubmitTransactionAsync(string table, IReadOnlyList<TableWrite> writes, CancellationToken cancellationToken)
    {
        var etags = await Inner.SubmitTransactionAsync(table, writes, cancellationToken);
        var firstInsert = writes.ToList().FindIndex(w => w.Kind == TableWriteKind.Insert);
        lock (_misreports)
        {
            if (firstInsert >= 0 && _misreports.GetValueOrDefault(table) > 0)
            {
                _misreports[table]--;
                throw new EntityAlreadyExistsException(table) { FailedWriteIndex = firstInsert };
            }
        }

        return etags;
    }
}
