namespace SmsMcp.Core.Storage;

/// <summary>One page of a partition query; <see cref="ContinuationToken"/> is null on the last page.</summary>
public sealed record TablePage(IReadOnlyList<TableEntity> Entities, string? ContinuationToken);
