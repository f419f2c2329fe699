namespace SmsMcp.Core.Storage;

/// <summary>The entity changed since it was read (Table Storage: 412 UpdateConditionNotSatisfied).</summary>
public sealed class PreconditionFailedException(string table) : StorageException($"The entity in table '{table}' was changed by someone else.");
