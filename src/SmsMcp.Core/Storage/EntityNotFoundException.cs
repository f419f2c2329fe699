namespace SmsMcp.Core.Storage;

/// <summary>A conditional write or delete addressed an entity that does not exist (Table Storage: 404).</summary>
public sealed class EntityNotFoundException(string table) : StorageException($"No entity with this key exists in table '{table}'.");
