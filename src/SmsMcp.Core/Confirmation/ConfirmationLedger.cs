using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Confirmation;

/// <summary>
/// The single-use record of every confirmation answered: an insert-if-absent keyed by the state's nonce, so a state is
/// accepted once across any number of instances (both table backends honour insert-if-absent).
/// </summary>
public sealed class ConfirmationLedger(ITableStore store, TimeProvider time)
{
    public const string Table = "Confirmations";

    private const string Row = "used";

    /// <summary>
    /// Marks the state used. True when this call was the first; false when it had been used before.
    /// Throws <see cref="StorageException"/> when the store cannot answer (the caller refuses: fail closed).
    /// </summary>
    public async Task<bool> TryUseAsync(ConfirmationState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var entity = new TableEntity(state.Nonce, Row, new Dictionary<string, object>
        {
            ["CallerId"] = state.CallerId,
            ["ExpiresAt"] = state.ExpiresAt,
            ["UsedAt"] = time.GetUtcNow(),
        });
        try
        {
            await store.InsertAsync(Table, entity, cancellationToken);
            return true;
        }
        catch (EntityAlreadyExistsException)
        {
            return false;
        }
    }
}
