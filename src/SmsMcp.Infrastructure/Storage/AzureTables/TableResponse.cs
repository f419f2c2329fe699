namespace SmsMcp.Infrastructure.Storage.AzureTables;

/// <summary>What <see cref="AzureTableStore"/> keeps of a service response once the message is disposed.</summary>
internal sealed record TableResponse(int Status, string? ErrorCode, string? ETag, BinaryData Content, string? NextPartitionKey, string? NextRowKey);
