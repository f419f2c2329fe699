namespace SmsMcp.Core.Storage;

/// <summary>What one write of an entity group transaction does (<see cref="ITableStore.SubmitTransactionAsync"/>).</summary>
public enum TableWriteKind
{
    /// <summary>Insert-if-absent, as <see cref="ITableStore.InsertAsync"/>.</summary>
    Insert,

    /// <summary>Replace-if-match, as <see cref="ITableStore.ReplaceAsync"/>.</summary>
    Replace,

    /// <summary>Insert-or-replace, as <see cref="ITableStore.UpsertAsync"/>.</summary>
    Upsert,

    /// <summary>Delete-if-match, as <see cref="ITableStore.DeleteAsync"/>; only the entity's keys are used.</summary>
    Delete,
}

/// <summary>
/// One write of an entity group transaction. <see cref="IfMatch"/> is required for <see cref="TableWriteKind.Replace"/> and
/// <see cref="TableWriteKind.Delete"/> (an ETag, or <c>"*"</c> for any) and must be null for the others.
/// </summary>
public sealed record TableWrite(TableWriteKind Kind, TableEntity Entity, string? IfMatch = null)
{
    public static TableWrite Insert(TableEntity entity) => new(TableWriteKind.Insert, entity);

    public static TableWrite Replace(TableEntity entity, string ifMatch) => new(TableWriteKind.Replace, entity, ifMatch);

    public static TableWrite Upsert(TableEntity entity) => new(TableWriteKind.Upsert, entity);

    public static TableWrite Delete(string partitionKey, string rowKey, string ifMatch) =>
        new(TableWriteKind.Delete, new TableEntity(partitionKey, rowKey, new Dictionary<string, object>()), ifMatch);
}
