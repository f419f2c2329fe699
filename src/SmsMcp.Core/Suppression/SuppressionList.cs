using SmsMcp.Core.Audit;
using SmsMcp.Core.Phone;
using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Suppression;

/// <summary>
/// Numbers that opted out and are never texted again, whatever the policy allows. Shared by every caller and
/// every instance (it lives in the table store). Rows are keyed by the keyed pseudonym of the number, so the
/// list holds no raw number; the price is that rotating <c>Audit:PseudonymizationKey</c> orphans the list.
/// </summary>
public sealed class SuppressionList(ITableStore store, Pseudonymizer pseudonymizer, TimeProvider time)
{
    public const string Table = "Suppressions";

    // One partition: the list is small and every check is a point read.
    private const string Partition = "optout";

    /// <summary>Adds <paramref name="number"/> (idempotent: a repeat keeps the number suppressed and records the latest source).</summary>
    public Task AddAsync(PhoneNumber number, SuppressionSource source, CancellationToken cancellationToken) =>
        store.UpsertAsync(Table, new TableEntity(Partition, pseudonymizer.Recipient(number.E164), new Dictionary<string, object>
        {
            ["Source"] = source.ToString(),
            ["At"] = time.GetUtcNow(),
        }), cancellationToken);

    /// <summary>True when <paramref name="number"/> opted out. Throws <see cref="StorageException"/> when the store cannot answer: callers must then not send.</summary>
    public async Task<bool> IsSuppressedAsync(PhoneNumber number, CancellationToken cancellationToken) =>
        await store.GetAsync(Table, Partition, pseudonymizer.Recipient(number.E164), cancellationToken) is not null;

    /// <summary>Removes <paramref name="number"/> (an opt-in such as a START reply); false when it was not on the list.</summary>
    public async Task<bool> RemoveAsync(PhoneNumber number, CancellationToken cancellationToken)
    {
        try
        {
            await store.DeleteAsync(Table, Partition, pseudonymizer.Recipient(number.E164), "*", cancellationToken);
            return true;
        }
        catch (EntityNotFoundException)
        {
            return false;
        }
    }
}
