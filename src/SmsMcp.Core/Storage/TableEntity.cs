namespace SmsMcp.Core.Storage;

/// <summary>
/// A stored row. Property values are limited to the types Azure Table Storage can hold:
/// <see cref="string"/>, <see cref="int"/>, <see cref="long"/>, <see cref="double"/>, <see cref="bool"/>,
/// <see cref="DateTimeOffset"/> (UTC), <see cref="Guid"/> and <see cref="byte"/>[]; backends return the
/// same types they were given. <see cref="ETag"/> is filled in by reads and ignored by writes.
/// </summary>
public sealed record TableEntity(string PartitionKey, string RowKey, IReadOnlyDictionary<string, object> Properties)
{
    /// <summary>The backend's version stamp for optimistic concurrency; null on entities not read from storage.</summary>
    public string? ETag { get; init; }

    /// <summary>Reads a property, or the default when absent.</summary>
    public T? Get<T>(string name) => Properties.TryGetValue(name, out var value) && value is T typed ? typed : default;
}
