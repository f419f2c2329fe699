using System.Text;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using SmsMcp.Core.Storage;

namespace SmsMcp.Infrastructure.Storage.AzureTables;

/// <summary>
/// The production <see cref="ITableStore"/>: Azure Table Storage over its REST API on Azure.Core's pipeline (retries,
/// token authentication). Hand-written because Azure.Data.Tables is not served by the package registry here.
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
/// <para>ETags are the service's; continuation tokens are opaque base64url around the service's next-partition and
/// next-row markers, and a token this store did not issue is rejected with <see cref="ArgumentException"/>.</para>
/// </remarks>
public sealed class AzureTableStore : ITableStore
{
    /// <summary>A version Azure and Azurite both serve; JSON payloads with OData type annotations need 2013-08-15 or later.</summary>
    private const string ApiVersion = "2019-02-02";

    private const string TokenScope = "https://storage.azure.com/.default";
    private const string ContinuationPrefix = "a1:";
    private const string JsonContentType = "application/json";
    private const string Accept = "application/json;odata=minimalmetadata";

    private readonly HttpPipeline _pipeline;
    private readonly Uri _serviceUri;
    private readonly TimeSpan _timeout;

    /// <exception cref="ArgumentException">The service URI is missing or not http(s), not exactly one authentication is
    /// set, or a token credential is used over plain http.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The request timeout is outside 100 ms to 2 minutes.</exception>
    public AzureTableStore(AzureTableStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ServiceUri is not { IsAbsoluteUri: true, Scheme: "http" or "https" } serviceUri)
        {
            throw new ArgumentException("AzureTableStoreOptions.ServiceUri must be an absolute http(s) URI.", nameof(options));
        }

        if ((options.Credential is null) == (options.SharedKey is null))
        {
            throw new ArgumentException("Set exactly one of AzureTableStoreOptions.Credential and AzureTableStoreOptions.SharedKey.", nameof(options));
        }

        // A bearer token sent in clear text could be replayed against the real account by anyone on the path.
        if (options.Credential is not null && serviceUri.Scheme != "https")
        {
            throw new ArgumentException("Token authentication needs an https AzureTableStoreOptions.ServiceUri.", nameof(options));
        }

        if (options.RequestTimeout < TimeSpan.FromMilliseconds(100) || options.RequestTimeout > TimeSpan.FromMinutes(2))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "AzureTableStoreOptions.RequestTimeout must be between 100 ms and 2 minutes.");
        }

        _serviceUri = new Uri(serviceUri.GetLeftPart(UriPartial.Path).TrimEnd('/'));
        _timeout = options.RequestTimeout;
        HttpPipelinePolicy authentication = options.Credential is not null
            ? new BearerTokenAuthenticationPolicy(options.Credential, TokenScope)
            : new SharedKeyLiteAuthenticationPolicy(options.SharedKey!, options.TimeProvider);
        _pipeline = HttpPipelineBuilder.Build(options, [], [authentication], new ResponseClassifier());
    }

    public async Task CreateTableIfNotExistsAsync(string table, CancellationToken cancellationToken)
    {
        TableStoreRules.ValidateTableName(table);
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["TableName"] = WireName(table) });
        var response = await SendAsync(table, RequestMethod.Post, uri => uri.AppendPath("/Tables", escape: false), body, ifMatch: null, cancellationToken);
        // 409 is TableAlreadyExists, also for a name differing only in case: table names are case-insensitive.
        if (response.Status is not (201 or 204) && !(response.Status == 409 && response.ErrorCode == "TableAlreadyExists"))
        {
            throw Unavailable(table, response);
        }
    }

    public async Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        TableStoreRules.ValidateAddress(table, partitionKey, rowKey);
        var response = await SendAsync(table, RequestMethod.Get, EntityAddress(table, partitionKey, rowKey), body: null, ifMatch: null, cancellationToken);
        return response.Status switch
        {
            200 => ReadEntity(table, response),
            404 => null,
            _ => throw Unavailable(table, response),
        };
    }

    public async Task<string> InsertAsync(string table, TableEntity entity, CancellationToken cancellationToken)
    {
        TableStoreRules.ValidateTableName(table);
        TableStoreRules.ValidateEntity(entity, nameof(entity));
        var body = ODataEntityJson.Encode(entity);
        var response = await SendAsync(table, RequestMethod.Post, uri => uri.AppendPath("/" + WireName(table), escape: false), body, ifMatch: null, cancellationToken);
        return response.Status switch
        {
            201 or 204 => RequireETag(table, response),
            409 when response.ErrorCode == "EntityAlreadyExists" => throw new EntityAlreadyExistsException(table),
            _ => throw Unavailable(table, response),
        };
    }

    public async Task<string> ReplaceAsync(string table, TableEntity entity, string ifMatch, CancellationToken cancellationToken)
    {
        TableStoreRules.ValidateTableName(table);
        TableStoreRules.ValidateEntity(entity, nameof(entity));
        TableStoreRules.ValidateIfMatch(ifMatch);
        var body = ODataEntityJson.Encode(entity);
        var response = await SendAsync(table, RequestMethod.Put, EntityAddress(table, entity.PartitionKey, entity.RowKey), body, ifMatch, cancellationToken);
        return response.Status == 204 ? RequireETag(table, response) : throw ConditionalWriteFailure(table, response);
    }

    public async Task<string> UpsertAsync(string table, TableEntity entity, CancellationToken cancellationToken)
    {
        TableStoreRules.ValidateTableName(table);
        TableStoreRules.ValidateEntity(entity, nameof(entity));
        var body = ODataEntityJson.Encode(entity);
        // PUT without If-Match is the service's insert-or-replace.
        var response = await SendAsync(table, RequestMethod.Put, EntityAddress(table, entity.PartitionKey, entity.RowKey), body, ifMatch: null, cancellationToken);
        return response.Status == 204 ? RequireETag(table, response) : throw Unavailable(table, response);
    }

    public async Task DeleteAsync(string table, string partitionKey, string rowKey, string ifMatch, CancellationToken cancellationToken)
    {
        TableStoreRules.ValidateAddress(table, partitionKey, rowKey);
        TableStoreRules.ValidateIfMatch(ifMatch);
        var response = await SendAsync(table, RequestMethod.Delete, EntityAddress(table, partitionKey, rowKey), body: null, ifMatch, cancellationToken);
        if (response.Status != 204)
        {
            throw ConditionalWriteFailure(table, response);
        }
    }

    public async Task<TablePage> QueryPartitionAsync(
        string table,
        string partitionKey,
        string? rowKeyFrom,
        string? rowKeyTo,
        int maxPerPage,
        string? continuationToken,
        CancellationToken cancellationToken)
    {
        TableStoreRules.ValidateQuery(table, partitionKey, rowKeyFrom, rowKeyTo, maxPerPage);
        var resumeAt = continuationToken is null ? default : DecodeContinuation(continuationToken);

        // The partition and range always come from the caller, so a token only positions the scan inside them.
        var filter = new StringBuilder("PartitionKey eq ").Append(Literal(partitionKey));
        if (rowKeyFrom is not null)
        {
            filter.Append(" and RowKey ge ").Append(Literal(rowKeyFrom));
        }

        if (rowKeyTo is not null)
        {
            filter.Append(" and RowKey lt ").Append(Literal(rowKeyTo));
        }

        var response = await SendAsync(table, RequestMethod.Get, uri =>
        {
            uri.AppendPath("/" + WireName(table) + "()", escape: false);
            uri.AppendQuery("$filter", filter.ToString(), escapeValue: true);
            uri.AppendQuery("$top", maxPerPage.ToString(System.Globalization.CultureInfo.InvariantCulture), escapeValue: false);
            if (resumeAt.PartitionKey is not null)
            {
                uri.AppendQuery("NextPartitionKey", resumeAt.PartitionKey, escapeValue: true);
                if (resumeAt.RowKey is not null)
                {
                    uri.AppendQuery("NextRowKey", resumeAt.RowKey, escapeValue: true);
                }
            }
        }, body: null, ifMatch: null, cancellationToken);

        if (response.Status == 404)
        {
            return new TablePage([], null);
        }

        if (response.Status != 200)
        {
            throw Unavailable(table, response);
        }

        List<TableEntity> entities;
        try
        {
            using var document = JsonDocument.Parse(response.Content);
            entities = [.. document.RootElement.GetProperty("value").EnumerateArray().Select(e => ODataEntityJson.Decode(e, etagHeader: null))];
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or InvalidOperationException or KeyNotFoundException)
        {
            throw new StorageUnavailableException($"Table '{table}' answered a query with a body that cannot be read.", e);
        }

        var token = response.NextPartitionKey is null ? null : EncodeContinuation(response.NextPartitionKey, response.NextRowKey);
        return new TablePage(entities, token);
    }

    private async Task<TableResponse> SendAsync(
        string table, RequestMethod method, Action<RequestUriBuilder> path, byte[]? body, string? ifMatch, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var message = _pipeline.CreateMessage();
        var request = message.Request;
        request.Method = method;
        request.Uri.Reset(_serviceUri);
        path(request.Uri);
        request.Headers.SetValue("x-ms-version", ApiVersion);
        request.Headers.SetValue("DataServiceVersion", "3.0");
        request.Headers.SetValue(HttpHeader.Names.Accept, Accept);
        if (body is not null)
        {
            request.Headers.SetValue(HttpHeader.Names.ContentType, JsonContentType);
            request.Headers.SetValue("Prefer", "return-no-content");
            request.Content = RequestContent.Create(body);
        }

        if (ifMatch is not null)
        {
            request.Headers.SetValue(HttpHeader.Names.IfMatch, ifMatch);
        }

        // One deadline for the whole operation, retries included: a slow store must refuse quickly, not hang a send.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_timeout);
        try
        {
            await _pipeline.SendAsync(message, deadline.Token);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new StorageUnavailableException(
                $"Table storage did not answer an operation on table '{table}' within {_timeout.TotalSeconds:0.###} s.", e);
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException)
        {
            // Azure.Core's retry policy reports a failure of every try as an AggregateException of their RequestFailedExceptions.
            throw new StorageUnavailableException($"Table storage could not be reached for an operation on table '{table}'.", e);
        }
        catch (AuthenticationFailedException e)
        {
            throw new StorageUnavailableException($"No access token for table storage could be obtained (table '{table}').", e);
        }

        var response = message.Response;
        response.Headers.TryGetValue("ETag", out var etag);
        response.Headers.TryGetValue("x-ms-continuation-NextPartitionKey", out var nextPartitionKey);
        response.Headers.TryGetValue("x-ms-continuation-NextRowKey", out var nextRowKey);
        var content = response.Content;
        return new TableResponse(response.Status, response.Status >= 400 ? ErrorCode(response, content) : null, etag, content, nextPartitionKey, nextRowKey);
    }

    private static string? ErrorCode(Response response, BinaryData content)
    {
        if (response.Headers.TryGetValue("x-ms-error-code", out var code))
        {
            return code;
        }

        try
        {
            using var document = JsonDocument.Parse(content);
            return document.RootElement.GetProperty("odata.error").GetProperty("code").GetString();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return null;
        }
    }

    private static TableEntity ReadEntity(string table, TableResponse response)
    {
        try
        {
            using var document = JsonDocument.Parse(response.Content);
            return ODataEntityJson.Decode(document.RootElement, response.ETag);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            throw new StorageUnavailableException($"Table '{table}' returned an entity that cannot be read.", e);
        }
    }

    private static string RequireETag(string table, TableResponse response) =>
        response.ETag ?? throw new StorageUnavailableException($"Table storage answered a write to table '{table}' without an ETag.");

    private static StorageException ConditionalWriteFailure(string table, TableResponse response) => response switch
    {
        { Status: 412 } => new PreconditionFailedException(table),
        { Status: 404, ErrorCode: not "TableNotFound" } => new EntityNotFoundException(table),
        _ => Unavailable(table, response),
    };

    private static StorageUnavailableException Unavailable(string table, TableResponse response) => response switch
    {
        { Status: 404, ErrorCode: "TableNotFound" } => new StorageUnavailableException(
            $"Table '{table}' does not exist; create it with CreateTableIfNotExistsAsync before writing to it."),
        { Status: 401 or 403 } => new StorageUnavailableException(
            $"Table storage refused the credentials for table '{table}' (HTTP {response.Status}, {response.ErrorCode ?? "no error code"})."),
        _ => new StorageUnavailableException(
            $"Table storage could not complete an operation on table '{table}' (HTTP {response.Status}, {response.ErrorCode ?? "no error code"})."),
    };

    // Keys go into the path as OData string literals: quotes doubled, then percent-encoded so '%', '#', '?', spaces
    // and non-ASCII characters survive the trip.
    private static Action<RequestUriBuilder> EntityAddress(string table, string partitionKey, string rowKey) => uri =>
        uri.AppendPath(
            $"/{WireName(table)}(PartitionKey='{Uri.EscapeDataString(partitionKey.Replace("'", "''", StringComparison.Ordinal))}'," +
            $"RowKey='{Uri.EscapeDataString(rowKey.Replace("'", "''", StringComparison.Ordinal))}')",
            escape: false);

    // Table names are case-insensitive in Azure; Azurite treats them case-sensitively. One spelling on the wire makes
    // both agree with the contract (the name is ASCII letters and digits, already validated).
    private static string WireName(string table) => table.ToLowerInvariant();

    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string EncodeContinuation(string nextPartitionKey, string? nextRowKey) =>
        ContinuationToken.Encode(ContinuationPrefix, nextPartitionKey + "\n" + nextRowKey);

    private static (string? PartitionKey, string? RowKey) DecodeContinuation(string continuationToken)
    {
        var parts = ContinuationToken.Decode(ContinuationPrefix, continuationToken).Split('\n');
        if (parts.Length != 2 || parts[0].Length == 0 || parts.Any(p => p.Any(char.IsControl)))
        {
            throw ContinuationToken.Rejected(nameof(continuationToken));
        }

        return (parts[0], parts[1].Length == 0 ? null : parts[1]);
    }
}
