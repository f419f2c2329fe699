using Microsoft.Extensions.Options;
using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Lookup;

/// <summary>
/// Successful lookup answers in the table store, so a number is looked up (and billed) once per
/// <see cref="LookupOptions.CacheTtl"/> across all callers and instances. Rows are keyed by the keyed pseudonym of the
/// number and hold no raw number. Expired rows are ignored and overwritten by the next lookup, never swept.
/// </summary>
public sealed class LookupCache(ITableStore store, IOptions<LookupOptions> options, TimeProvider time)
{
    public const string Table = "Lookups";

    // One row per partition: every read is a point read, and numbers spread over partitions.
    private const string Row = "v2";

    /// <summary>The unexpired answer for <paramref name="recipientRef"/>, or null. Throws <see cref="StorageException"/> when the store cannot answer.</summary>
    public async Task<NumberLookupAnswer?> GetAsync(string recipientRef, CancellationToken cancellationToken)
    {
        var entity = await store.GetAsync(Table, recipientRef, Row, cancellationToken);
        if (entity is null || entity.Get<DateTimeOffset>("CheckedAt") + options.Value.CacheTtl <= time.GetUtcNow()
            || entity.Get<string>("LineType") is not { } lineType)
        {
            return null;
        }

        return new NumberLookupAnswer(entity.Get<bool>("Valid"), lineType, entity.Get<int>("SmsPumpingRisk"));
    }

    /// <summary>Stores <paramref name="answer"/> as checked now (replacing an older one).</summary>
    public Task PutAsync(string recipientRef, NumberLookupAnswer answer, CancellationToken cancellationToken) =>
        store.UpsertAsync(Table, new TableEntity(recipientRef, Row, new Dictionary<string, object>
        {
            ["Valid"] = answer.Valid,
            ["LineType"] = answer.LineType,
            ["SmsPumpingRisk"] = answer.SmsPumpingRisk,
            ["CheckedAt"] = time.GetUtcNow(),
        }), cancellationToken);
}
