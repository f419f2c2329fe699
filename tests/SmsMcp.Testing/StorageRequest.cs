namespace SmsMcp.Testing;

/// <summary>One storage request recorded by <see cref="CountingTableStore"/>.</summary>
public sealed record StorageRequest(string Table, string Operation, int Depth);
