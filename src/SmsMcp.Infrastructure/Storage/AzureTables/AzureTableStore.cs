using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Azure.Identity;
using SmsMcp.Core.Storage;
using SdkEntity = Azure.Data.Tables.TableEntity;
using TableEntity = SmsMcp.Core.Storage.TableEntity;

namespace SmsMcp.Infrastructure.Storage.AzureTables;

/// <summary>
/// The production <see cref="ITableStore"/>: Azure Table Storage through the SDK's <see cref="TableServiceClient"/> and
/// <see cref="TableClient"/>. What this adapter adds is the contract: its rules checked before anything is sent, its
/// exceptions, the exact .NET property types, one deadline per operation, and opaque continuation tokens.
/// </summary>
/// <remarks>
/// <para>Missing tables behave as in every backend: reads find nothing (null, an empty page), writes throw
/// <see cref="StorageUnavailableException"/> (the service's 404 TableNotFound).</para>
/// <para>Failures the caller cannot fix — network errors and 5xx after retries, authentication and authorisation
/// failures, a response past <see cref="AzureTableStoreOptions.RequestTimeout"/> — throw
/// <see cref="StorageUnavailableException"/> whose message names the table, the HTTP status and the service's error
/// code, never a key or a value.</para>
/// <para>An insert retried after a lost response can report <see cref="EntityAlreadyExistsException"/> for its own
/// first try; callers that claim keys (idempotency) must treat "already exists" as "maybe mine" and read it back.</para>
/// <para>ETags are the service's; continuation tokens are opaque base64url around the SDK's token, and a token this store
/// did not issue is rejected with <see cref="ArgumentException"/>.</para>
/// </remarks>
public sealed class AzureTableStore : ITableStore
{
    private const string ContinuationPrefix = "a2:";

    private readonly TableServiceClient _service;
    private readonly TimeSpan _timeout;
    private readonly ConcurrentDictionary<string, TableClient> _tables = new(StringComparer.Ordinal);

    /// <exception cref="ArgumentException">Not exactly one of a connection string and a service URI with a credential is
    /// set, the service URI is not https, or the connection string cannot be used (the message never repeats it).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The request timeout is outside 100 ms to 2 minutes.</exception>
    public AzureTableStore(AzureTableStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.RequestTimeout < TimeSpan.FromMilliseconds(100) || options.RequestTimeout > TimeSpan.FromMinutes(2))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "AzureTableStoreOptions.RequestTimeout must be between 100 ms and 2 minutes.");
        }

        // Each try may take the whole deadline, never more: the deadline is what bounds the operation.
        options.Retry.NetworkTimeout = options.RequestTimeout;
        _timeout = options.RequestTimeout;
        _service = CreateServiceClient(options);
    }

    /// <summary>Whether the SDK can build a client from this connection string (start-up validation); never echoes it.</summary>
    internal static bool IsUsableConnectionString(string connectionString)
    {
        try
        {
            _ = new TableServiceClient(connectionString);
            return true;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or UriFormatException)
        {
            return false;
        }
    }

    public Task CreateTableIfNotExistsAsync(string table, CancellationToken cancellationToken)
    {
        TableStoreRules.ValidateTableName(table);
        // Table names are case-insensitive: the SDK answers an existing table of another case as "already exists".
        return RunAsync(table, ct => _service.CreateTableIfNotExistsAsync(WireName(table), ct), cancellationToken);
    }

    public Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        TableStoreRules.ValidateAddress(table, partitionKey, rowKey);
        return RunAsync(table, async ct =>
        {
            // A 404 of either kind (no entity, no table) is "absent" for the SDK, as the contract wants for reads.
            var response = await Table(table).GetEntityIfExistsAsync<SdkEntity>(partitionKey, rowKey, cancellationToken: ct);
            return response.HasValue ? FromSdk(table, response.Value!) : null;
        }, cancellationToken);
    }

    public Task<string> InsertAsync(string table, TableEntity entity, CancellationToken cancellationToken)
    {
        TableStoreRules.ValidateTableName(table);
        TableStoreRules.ValidateEntity(entity, nameof(entity));
        return RunAsync(table, async ct => RequireETag(table, await Table(table).AddEntityAsync(ToSdk(entity), ct)), cancellationToken);
    }

    public Task<string> ReplaceAsync(string table, TableEntity entity, string ifMatch, CancellationToken cancellationToken)
    {
        TableStoreRules.ValidateTableName(table);
        TableStoreRules.ValidateEntity(entity, nameof(entity));
        TableStoreRules.ValidateIfMatch(ifMatch);
        return RunAsync(table, async ct =>
            RequireETag(table, await Table(table).UpdateEntityAsync(ToSdk(entity), new ETag(ifMatch), TableUpdateMode.Replace, ct)),
            cancellationToken);
    }

    public Task<string> UpsertAsync(string table, TableEntity entity, CancellationToken cancellationToken)
    {
        TableStoreRules.ValidateTableName(table);
        TableStoreRules.ValidateEntity(entity, nameof(entity));
        return RunAsync(table, async ct =>
            RequireETag(table, await Table(table).UpsertEntityAsync(ToSdk(entity), TableUpdateMode.Replace, ct)), cancellationToken);
    }

    public Task DeleteAsync(string table, string partitionKey, string rowKey, string ifMatch, CancellationToken cancellationToken)
    {
        TableStoreRules.ValidateAddress(table, partitionKey, rowKey);
        TableStoreRules.ValidateIfMatch(ifMatch);
        return RunAsync(table, async ct =>
        {
            var response = await Table(table).DeleteEntityAsync(partitionKey, rowKey, new ETag(ifMatch), ct);
            // The SDK answers a 404 (entity or table missing) without throwing; the contract tells the two apart.
            if (response.Status == 404)
            {
                throw Failure(table, 404, ErrorCode(response), failedWriteIndex: null);
            }

            return true;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<string?>> SubmitTransactionAsync(string table, IReadOnlyList<TableWrite> writes, CancellationToken cancellationToken)
    {
        TableStoreRules.ValidateTransaction(table, writes);
        var actions = writes.Select(ToSdkAction).ToList();
        return RunAsync<IReadOnlyList<string?>>(table, async ct =>
        {
            var response = await Table(table).SubmitTransactionAsync(actions, ct);
            return [.. writes.Select((write, i) => write.Kind == TableWriteKind.Delete ? null : RequireETag(table, response.Value[i]))];
        }, cancellationToken);
    }

    public Task<TablePage> QueryPartitionAsync(
        string table,
        string partitionKey,
        string? rowKeyFrom,
        string? rowKeyTo,
        int maxPerPage,
        string? continuationToken,
        CancellationToken cancellationToken)
    {
        TableStoreRules.ValidateQuery(table, partitionKey, rowKeyFrom, rowKeyTo, maxPerPage);
        var resumeAt = continuationToken is null ? null : DecodeContinuation(continuationToken);

        // The partition and range always come from the caller, so a token only positions the scan inside them.
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}");
        if (rowKeyFrom is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"RowKey ge {rowKeyFrom}");
        }

        if (rowKeyTo is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"RowKey lt {rowKeyTo}");
        }

        return RunAsync(table, async ct =>
        {
            try
            {
                await foreach (var page in Table(table).QueryAsync<SdkEntity>(filter, maxPerPage, select: null, ct).AsPages(resumeAt, maxPerPage))
                {
                    var token = string.IsNullOrEmpty(page.ContinuationToken) ? null : ContinuationToken.Encode(ContinuationPrefix, page.ContinuationToken);
                    return new TablePage([.. page.Values.Select(e => FromSdk(table, e))], token);
                }
            }
            catch (RequestFailedException e) when (e is { Status: 404, ErrorCode: "TableNotFound" })
            {
                // Reads of a missing table find nothing, as in every backend.
            }

            return new TablePage([], null);
        }, cancellationToken);
    }

    private static TableServiceClient CreateServiceClient(AzureTableStoreOptions options)
    {
        var hasConnectionString = !string.IsNullOrWhiteSpace(options.ConnectionString);
        if (hasConnectionString == (options.Credential is not null) || hasConnectionString == (options.ServiceUri is not null))
        {
            throw new ArgumentException(
                "Set either AzureTableStoreOptions.ConnectionString or AzureTableStoreOptions.ServiceUri with AzureTableStoreOptions.Credential.",
                nameof(options));
        }

        if (hasConnectionString)
        {
            try
            {
                return new TableServiceClient(options.ConnectionString, options);
            }
            catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or UriFormatException)
            {
                // No inner exception: the SDK's message may quote the string, and with it the account key.
                throw new ArgumentException("AzureTableStoreOptions.ConnectionString is not a usable storage connection string.", nameof(options));
            }
        }

        // A bearer token sent in clear text could be replayed against the real account by anyone on the path.
        if (options.ServiceUri is not { IsAbsoluteUri: true, Scheme: "https" } serviceUri)
        {
            throw new ArgumentException("AzureTableStoreOptions.ServiceUri must be an absolute https URI.", nameof(options));
        }

        return new TableServiceClient(serviceUri, options.Credential, options);
    }

    // Table names are case-insensitive in Azure; Azurite treats them case-sensitively. One spelling on the wire makes
    // both agree with the contract (the name is ASCII letters and digits, already validated).
    private TableClient Table(string table) => _tables.GetOrAdd(WireName(table), _service.GetTableClient);

    private static string WireName(string table) => table.ToLowerInvariant();

    /// <summary>Runs one operation under its deadline and turns the SDK's failures into the contract's.</summary>
    private async Task<T> RunAsync<T>(string table, Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // One deadline for the whole operation, retries included: a slow store must refuse quickly, not hang a send.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_timeout);
        try
        {
            return await operation(deadline.Token);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new StorageUnavailableException(
                $"Table storage did not answer an operation on table '{table}' within {_timeout.TotalSeconds:0.###} s.", e);
        }
        catch (TableTransactionFailedException e)
        {
            throw Failure(table, e.Status, e.ErrorCode, e.FailedTransactionActionIndex ?? 0);
        }
        catch (RequestFailedException e) when (e.Status != 0)
        {
            throw Failure(table, e.Status, e.ErrorCode, failedWriteIndex: null);
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException)
        {
            // No HTTP answer at all; Azure.Core reports a failure of every try as an AggregateException.
            throw new StorageUnavailableException($"Table storage could not be reached for an operation on table '{table}'.", e);
        }
        catch (AuthenticationFailedException e)
        {
            throw new StorageUnavailableException($"No access token for table storage could be obtained (table '{table}').", e);
        }
    }

    private async Task RunAsync(string table, Func<CancellationToken, Task> operation, CancellationToken cancellationToken) =>
        await RunAsync(table, async ct =>
        {
            await operation(ct);
            return true;
        }, cancellationToken);

    /// <summary>A service error as the contract's exception. No inner exception: the SDK's message quotes the response body.</summary>
    private static StorageException Failure(string table, int status, string? errorCode, int? failedWriteIndex) => (status, errorCode) switch
    {
        (409, "EntityAlreadyExists") => new EntityAlreadyExistsException(table) { FailedWriteIndex = failedWriteIndex },
        (412, _) => new PreconditionFailedException(table) { FailedWriteIndex = failedWriteIndex },
        (404, "TableNotFound") => new StorageUnavailableException(
            $"Table '{table}' does not exist; create it with CreateTableIfNotExistsAsync before writing to it.") { FailedWriteIndex = failedWriteIndex },
        (404, _) => new EntityNotFoundException(table) { FailedWriteIndex = failedWriteIndex },
        (401 or 403, _) => new StorageUnavailableException(
            $"Table storage refused the credentials for table '{table}' (HTTP {status}, {errorCode ?? "no error code"})."),
        _ => new StorageUnavailableException(
            $"Table storage could not complete an operation on table '{table}' (HTTP {status}, {errorCode ?? "no error code"})."),
    };

    private static string? ErrorCode(Response response) =>
        response.Headers.TryGetValue("x-ms-error-code", out var code) ? code : null;

    private static string RequireETag(string table, Response response) =>
        response.Headers.ETag?.ToString() is { Length: > 0 } etag
            ? etag
            : throw new StorageUnavailableException($"Table storage answered a write to table '{table}' without an ETag.");

    private static TableTransactionAction ToSdkAction(TableWrite write) => write.Kind switch
    {
        TableWriteKind.Insert => new TableTransactionAction(TableTransactionActionType.Add, ToSdk(write.Entity)),
        TableWriteKind.Replace => new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToSdk(write.Entity), new ETag(write.IfMatch!)),
        TableWriteKind.Upsert => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToSdk(write.Entity)),
        _ => new TableTransactionAction(TableTransactionActionType.Delete, ToSdk(write.Entity), new ETag(write.IfMatch!)),
    };

    /// <summary>
    /// The SDK annotates the types JSON cannot carry exactly (Int64, DateTime, Guid, Binary, NaN), so the contract's types
    /// go in as they are, except infinities: its JSON writer refuses them, so they go as the service's annotated literals.
    /// </summary>
    private static SdkEntity ToSdk(TableEntity entity)
    {
        var sdk = new SdkEntity(entity.PartitionKey, entity.RowKey);
        foreach (var (name, value) in entity.Properties)
        {
            if (value is double d && double.IsInfinity(d))
            {
                sdk[name] = d > 0 ? "Infinity" : "-Infinity";
                sdk[name + "@odata.type"] = "Edm.Double";
            }
            else
            {
                sdk[name] = value;
            }
        }

        return sdk;
    }

    /// <summary>Back to exactly the types that went in: system properties dropped, instants in UTC, binary as bytes.</summary>
    private static TableEntity FromSdk(string table, SdkEntity sdk)
    {
        var properties = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (name, value) in sdk)
        {
            if (name is "PartitionKey" or "RowKey" or "Timestamp" || name.StartsWith("odata.", StringComparison.Ordinal)
                || name.Contains('@', StringComparison.Ordinal))
            {
                continue;
            }

            properties[name] = value switch
            {
                string or int or long or double or bool or Guid or byte[] => value,
                DateTimeOffset t => t.ToUniversalTime(),
                DateTime t => new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)),
                BinaryData b => b.ToArray(),
                _ => throw new StorageUnavailableException($"Table '{table}' returned a property of a type the store does not hold."),
            };
        }

        return new TableEntity(sdk.PartitionKey, sdk.RowKey, properties) { ETag = sdk.ETag.ToString() };
    }

    // The SDK's own token names the next partition and row; the prefix makes foreign tokens fail instead of wandering.
    private static string DecodeContinuation(string continuationToken)
    {
        var token = ContinuationToken.Decode(ContinuationPrefix, continuationToken);
        return token.Length == 0 || token.Any(char.IsControl) ? throw ContinuationToken.Rejected(nameof(continuationToken)) : token;
    }
}
