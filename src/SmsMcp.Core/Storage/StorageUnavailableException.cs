namespace SmsMcp.Core.Storage;

/// <summary>The backend could not answer (I/O, timeout, corrupt data). The send path refuses on this.</summary>
public sealed class StorageUnavailableException(string message, Exception? inner = null) : StorageException(message, inner);
