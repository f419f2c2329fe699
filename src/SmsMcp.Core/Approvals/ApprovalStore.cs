using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Approvals;

/// <summary>
/// Pending first-contact approvals in the table store. The message text is kept only while the request is pending:
/// resolving it (approved, denied, expired) rewrites the row without <c>To</c> and <c>Body</c>. The row is guarded by
/// its ETag, so two operators (or instances) resolving one request cannot both win: the message is sent at most once.
/// </summary>
public sealed class ApprovalStore(ITableStore store)
{
    public const string Table = "Approvals";

    private const string Partition = "request";

    // The expiry job's progress: no request before it can still need expiring (a row of its own partition).
    private const string ExpiryPartition = "expiry";
    private const string ExpiryRow = "through";

    public Task CreateAsync(PendingApproval request, CancellationToken cancellationToken) =>
        store.InsertAsync(Table, ToEntity(request), cancellationToken);

    /// <summary>The request, or null when there is none with this id.</summary>
    public async Task<PendingApproval?> GetAsync(string requestId, CancellationToken cancellationToken)
    {
        var e = await store.GetAsync(Table, Partition, requestId, cancellationToken);
        return e is null ? null : FromEntity(e);
    }

    /// <summary>
    /// Still-pending requests created at or after <paramref name="createdSince"/>, oldest first, at most
    /// <paramref name="max"/>. Request ids are version-7 GUIDs (time first), so older rows are never read.
    /// </summary>
    public async Task<IReadOnlyList<PendingApproval>> ListPendingAsync(DateTimeOffset createdSince, int max, CancellationToken cancellationToken)
    {
        var pending = new List<PendingApproval>();
        string? continuation = null;
        var from = RowKeyAt(createdSince);
        do
        {
            var page = await store.QueryPartitionAsync(Table, Partition, from, null, 100, continuation, cancellationToken);
            pending.AddRange(page.Entities.Select(FromEntity).Where(r => r.State == ApprovalState.Pending));
            continuation = page.ContinuationToken;
        }
        while (continuation is not null && pending.Count < max);

        return pending.Take(max).ToList();
    }

    /// <summary>
    /// Every request (any state) from the one created in the millisecond of <paramref name="fromRequestId"/> on (null:
    /// the first), oldest first, read a page at a time.
    /// </summary>
    public async IAsyncEnumerable<PendingApproval> ListFromAsync(
        string? fromRequestId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // From the millisecond, not the id itself: ids of one millisecond differ only in their random part, so another
        // request of that millisecond may sort before it.
        var from = fromRequestId is { Length: >= MillisecondPrefixLength } id ? id[..MillisecondPrefixLength] : null;
        string? continuation = null;
        do
        {
            var page = await store.QueryPartitionAsync(Table, Partition, from, null, 100, continuation, cancellationToken);
            foreach (var entity in page.Entities)
            {
                yield return FromEntity(entity);
            }

            continuation = page.ContinuationToken;
        }
        while (continuation is not null);
    }

    /// <summary>Where the expiry job starts reading: the first request it may still have to expire. Null before its first run.</summary>
    public async Task<string?> GetExpiryMarkAsync(CancellationToken cancellationToken) =>
        (await store.GetAsync(Table, ExpiryPartition, ExpiryRow, cancellationToken))?.Get<string>("From");

    public Task SetExpiryMarkAsync(string fromRequestId, CancellationToken cancellationToken) =>
        store.UpsertAsync(Table, new TableEntity(ExpiryPartition, ExpiryRow, new Dictionary<string, object> { ["From"] = fromRequestId }), cancellationToken);

    // Request ids are version-7 GUIDs after "msg_": the first twelve hex digits are the creation time in milliseconds.
    private const int MillisecondPrefixLength = 4 + 12;

    private static string RowKeyAt(DateTimeOffset at) =>
        "msg_" + at.ToUnixTimeMilliseconds().ToString("x12", System.Globalization.CultureInfo.InvariantCulture);

    private static PendingApproval FromEntity(TableEntity e) => new(
        e.RowKey,
        e.Get<string>("CallerId") ?? "",
        e.Get<string>("To") ?? "",
        e.Get<string>("Body") ?? "",
        e.Get<DateTimeOffset>("CreatedAt"),
        e.Get<DateTimeOffset>("ExpiresAt"),
        Enum.Parse<ApprovalState>(e.Get<string>("State") ?? nameof(ApprovalState.Expired)),
        e.ETag ?? "");

    /// <summary>
    /// Moves a pending request to <paramref name="state"/> and erases its message. Throws
    /// <see cref="PreconditionFailedException"/> when someone else resolved it first.
    /// </summary>
    public Task ResolveAsync(PendingApproval request, ApprovalState state, CancellationToken cancellationToken) =>
        store.ReplaceAsync(Table, ToEntity(request with { To = "", Body = "", State = state }), request.ETag, cancellationToken);

    private static TableEntity ToEntity(PendingApproval r) => new(Partition, r.RequestId, new Dictionary<string, object>
    {
        ["CallerId"] = r.CallerId,
        ["To"] = r.To,
        ["Body"] = r.Body,
        ["CreatedAt"] = r.CreatedAt,
        ["ExpiresAt"] = r.ExpiresAt,
        ["State"] = r.State.ToString(),
    });
}
