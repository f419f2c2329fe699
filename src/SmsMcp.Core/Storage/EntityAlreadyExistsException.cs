namespace SmsMcp.Core.Storage;

/// <summary>Insert-if-absent found an existing entity (Table Storage: 409 EntityAlreadyExists).</summary>
public sealed class EntityAlreadyExistsException(string table) : StorageException($"An entity with this key already exists in table '{table}'.");
