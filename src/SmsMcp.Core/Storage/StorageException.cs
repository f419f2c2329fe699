namespace SmsMcp.Core.Storage;

/// <summary>Base of the storage contract's failures. Messages never carry property values.</summary>
public abstract class StorageException : Exception
{
    protected StorageException(string message, Exception? inner = null) : base(message, inner) { }

    /// <summary>In an entity group transaction, the position of the write that failed; null outside transactions.</summary>
    public int? FailedWriteIndex { get; init; }
}
