using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SmsMcp.Core.Approvals;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Callers;
using SmsMcp.Core.Content;
using SmsMcp.Core.Controls;
using SmsMcp.Core.Idempotency;
using SmsMcp.Core.Lookup;
using SmsMcp.Core.Messages;
using SmsMcp.Core.Outcomes;
using SmsMcp.Core.Policy;
using SmsMcp.Core.Providers;
using SmsMcp.Core.Quotas;
using SmsMcp.Core.Recipients;
using SmsMcp.Core.Storage;
using SmsMcp.Core.Suppression;
using SmsMcp.Core.Telemetry;
using SmsMcp.Core.Vocabulary;
using SmsMcp.Core.Watchdog.Counters;

namespace SmsMcp.Core.Sending;

/// <summary>
/// The send walk: validate → resolve recipient → policy → stored rules → first-contact lookup →
/// idempotency claim → quota reservation with audit "attempt" + message record (together when the reservation is expected to
/// succeed) → provider → audit "result" + message record. Every call
/// leaves exactly one audit record.
/// Anything storage cannot answer before the provider call stops the send: fail closed.
/// </summary>
/// <remarks>
/// Round trips: requests that do not depend on one another's answers go out together (the stored rules and the contact
/// book; the quota reservation and the write-ahead, when the reservation is expected to succeed; the writes after the
/// provider), and writes of one partition go as one transaction (the audit attempt, the message record and its pending
/// marker, all in the audit trail's day partition; the audit completion, the message update and the walk's watchdog
/// event), so a send to a known contact makes 5 storage requests (6 while this instance has not yet seen the contact:
/// <see cref="ContactBook"/> remembers), two round trips before the provider is called (docs/benchmarks.md, "Round trips
/// per send"). The provider is still called only once both the reservation and the
/// write-ahead are stored; a write-ahead stored beside a reservation that refused or failed is withdrawn in one
/// transaction that also completes its audit record as the refusal the caller gets.
/// </remarks>
public sealed class SendPipeline(
    PolicyEngine policy,
    SuppressionList suppressions,
    ContactBook contacts,
    LookupGuard lookups,
    ApprovalStore approvals,
    IOptions<ApprovalOptions> approvalOptions,
    RuntimeControls controls,
    AuditLog audit,
    MessageStore messages,
    IdempotencyStore idempotency,
    QuotaGate quotas,
    ISmsProvider provider,
    Pseudonymizer pseudonymizer,
    TrafficCounters traffic,
    SmsMcpMetrics metrics,
    TimeProvider time,
    ILogger<SendPipeline> logger) : IApprovedSender
{
    private const string Tool = "send_sms";

    /// <summary>
    /// <see cref="PolicyEngine.Evaluate"/> plus the checks that need storage (kill switch, suppression list, a cached
    /// first-contact lookup answer, quotas read only): what <c>preview_sms</c> reports, so a preview never promises a send
    /// that would be refused. A preview never spends a billed lookup, so an uncached first contact under a lookup profile
    /// can still be refused by the send.
    /// </summary>
    public async Task<SendEvaluation> PreviewAsync(CallerIdentity caller, string? to, string? body, CancellationToken cancellationToken)
    {
        var evaluation = policy.Evaluate(caller, to, body);
        var recipientRef = evaluation.Recipient is { } r ? pseudonymizer.Recipient(r.Number.E164) : null;
        var stored = await ReadStoredStateAsync(caller, evaluation, recipientRef, forApproval: false, cancellationToken);
        (evaluation, _) = await CheckLookupAsync(caller, stored.Evaluation, recipientRef, stored.KnownContact, mayLookUp: false, cancellationToken);
        if (evaluation.Refusal is not null)
        {
            return evaluation;
        }

        try
        {
            return evaluation with { Refusal = await quotas.CheckAsync(caller, evaluation.Recipient!.Number, evaluation.Segmentation!.Segments, cancellationToken) };
        }
        catch (StorageException e)
        {
            logger.LogError(e, "Quotas could not be read for caller {CallerId}; the preview reports a refusal.", caller.Id);
            return evaluation with { Refusal = Refusal.StorageUnavailable };
        }
    }

    /// <summary>
    /// Walks the send in two phases. The read phase (stored rules, first-contact lookup, dry-run mode) writes nothing
    /// the caller could be left holding, so a caller cancelling during it gets a <c>cancelled</c> refusal and its one
    /// audit record. The commit phase (approval hold, idempotency claim, reservation, audit, message record, provider)
    /// takes no caller token and finishes whatever the caller does: a write that landed just as the caller hung up could
    /// otherwise be neither used nor given back (a claim blocking its key, an open audit attempt, an approval that still
    /// gets sent), and a provider call that may have gone out must be recorded. Every step of it is bounded by its own
    /// deadline.
    /// </summary>
    public async Task<SendOutcome> SendAsync(SendRequest request, CancellationToken cancellationToken)
    {
        var evaluation = policy.Evaluate(request.Caller, request.To, request.Body);
        var started = time.GetUtcNow();
        var outcome = await WalkAsync(request, evaluation, started, cancellationToken);
        metrics.RecordSend(request.Caller.Id, evaluation, outcome);
        return outcome;
    }

    /// <inheritdoc/>
    public Task<SendOutcome> SendApprovedAsync(PendingApproval request, CancellationToken cancellationToken) =>
        SendAsync(new SendRequest(new CallerIdentity(request.CallerId), request.To, request.Body, ApprovedRequestId: request.RequestId), cancellationToken);

    /// <param name="started">The walk's start: its audit record's time, and its watchdog event's.</param>
    private async Task<SendOutcome> WalkAsync(SendRequest request, SendEvaluation evaluation, DateTimeOffset started, CancellationToken cancellationToken)
    {
        var body = request.Body ?? "";
        var record = new AuditRecord
        {
            Id = AuditLog.NewId(started),
            Time = started,
            CallerId = request.Caller.Id,
            Tool = Tool,
            RecipientRef = evaluation.Recipient is { } r ? pseudonymizer.Recipient(r.Number.E164) : null,
            BodyHash = pseudonymizer.Body(body),
            BodyLength = body.Length,
            Segments = evaluation.Segmentation?.Segments ?? 0,
            Stage = AuditStage.Attempt,
            Decision = AuditDecision.Pending,
            ReasonCode = "",
            PolicyVersion = policy.Version,
        };

        bool? knownContact;
        bool? dryRun;
        try
        {
            (evaluation, knownContact, dryRun) = await ReadAsync(request, evaluation, record.RecipientRef, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Send for caller {CallerId} was cancelled before anything was written; nothing was sent.", request.Caller.Id);
            await RecordRefusalAsync(record, Refusal.Cancelled);
            return SendOutcome.Refused(Refusal.Cancelled);
        }

        if (evaluation.Refusal is { } refusal)
        {
            await RecordRefusalAsync(record, refusal);
            return SendOutcome.Refused(refusal);
        }

        var recipient = evaluation.Recipient!;
        var segmentation = evaluation.Segmentation!;

        // Dry run: everything above was evaluated, and the one audit record says what would have happened; nothing
        // below (idempotency claim, quota reservation, message record, provider) runs, so nothing is sent or counted.
        switch (dryRun)
        {
            case null:
                await RecordRefusalAsync(record, Refusal.StorageUnavailable);
                return SendOutcome.Refused(Refusal.StorageUnavailable);
            case true:
                var dryRunId = MessageStore.NewMessageId(started);
                var dryRunOutcome = SendOutcome.Sent(new SendResult(dryRunId, MessageStatus.Queued, segmentation.Segments, segmentation.Encoding, recipient.Number.Masked, DryRun: true));
                await RecordFinalAsync(record with { MessageId = dryRunId }, AuditDecision.Accepted, ReasonCodes.DryRun, dryRunOutcome);
                return dryRunOutcome;
        }

        return await CommitAsync(request, evaluation, record, knownContact, started);
    }

    /// <summary>
    /// The read phase: stored rules, dry-run mode and the contact book in one concurrent batch, then the first-contact
    /// lookup. <c>DryRun</c> is null when the store cannot answer; <c>KnownContact</c> is null when no feature needed the
    /// contact book. The only part of the walk that honours <paramref name="cancellationToken"/>.
    /// </summary>
    private async Task<(SendEvaluation Evaluation, bool? KnownContact, bool? DryRun)> ReadAsync(SendRequest request, SendEvaluation evaluation, string? recipientRef, CancellationToken cancellationToken)
    {
        if (request.IdempotencyKey is not null && !IdempotencyStore.IsValidKey(request.IdempotencyKey))
        {
            evaluation = evaluation with { Refusal = evaluation.Refusal ?? Refusal.InvalidIdempotencyKey };
        }

        var stored = await ReadStoredStateAsync(request.Caller, evaluation, recipientRef,
            forApproval: request.ApprovedRequestId is null && policy.ApprovalFor(request.Caller) == ApprovalMode.FirstContact, cancellationToken);

        // The lookup runs after everything that can refuse for free (policy, kill switch, opt-outs), because each lookup
        // is billed; and before dry run, approval and the idempotency claim, so a dry run reports its refusal, an operator
        // is never asked to approve a number the lookup blocks, and a refused send leaves no claim behind.
        (evaluation, var knownContact) = await CheckLookupAsync(request.Caller, stored.Evaluation, recipientRef, stored.KnownContact, mayLookUp: true, cancellationToken);
        return evaluation.Refusal is null
            ? (evaluation, knownContact, stored.DryRun)
            : (evaluation, knownContact, false);
    }

    /// <summary>
    /// The commit phase, from the first write on: takes no caller token (see <see cref="SendAsync"/>).
    /// <paramref name="knownContact"/> is what the read phase learned from the contact book, null when it did not ask.
    /// </summary>
    private async Task<SendOutcome> CommitAsync(SendRequest request, SendEvaluation evaluation, AuditRecord record, bool? knownContact, DateTimeOffset started)
    {
        var body = request.Body ?? "";
        var recipient = evaluation.Recipient!;
        var segmentation = evaluation.Segmentation!;
        var hold = await HoldForApprovalAsync(request, record, recipient, segmentation, knownContact, started);
        if (hold.Outcome is { } held)
        {
            return held;
        }

        knownContact = hold.KnownContact;
        var digest = pseudonymizer.Request(recipient.Number.E164, body);
        var key = request.IdempotencyKey;
        IdempotencyClaim claim;
        try
        {
            claim = key is null
                ? IdempotencyClaim.NotRequested
                : await idempotency.ClaimAsync(request.Caller.Id, key, digest, CancellationToken.None);
        }
        catch (StorageException e)
        {
            logger.LogError(e, "Idempotency claim failed for caller {CallerId}; refusing to send.", request.Caller.Id);
            await RecordRefusalAsync(record, Refusal.StorageUnavailable);
            return SendOutcome.Refused(Refusal.StorageUnavailable);
        }

        if (claim.Replay is { } replay)
        {
            await RecordFinalAsync(record with { MessageId = replay.MessageId }, AuditDecision.Accepted, ReasonCodes.IdempotentReplay, SendOutcome.Sent(replay));
            return SendOutcome.Sent(replay);
        }

        if (claim.Refusal is { } claimRefusal)
        {
            await RecordRefusalAsync(record, claimRefusal);
            return SendOutcome.Refused(claimRefusal);
        }

        if (request.ReplayOnly)
        {
            // The first result this repeat was let through for is gone (the key's window ended meanwhile): sending now
            // would be a send nobody confirmed.
            await RecordRefusalAsync(record, Refusal.ConfirmationExpired);
            await ReleaseAsync(request, claim);
            return SendOutcome.Refused(Refusal.ConfirmationExpired);
        }

        var messageId = request.ApprovedRequestId ?? MessageStore.NewMessageId(started);
        var attempt = record with { MessageId = messageId };
        var message = NewMessage(request.Caller, record.RecipientRef!, recipient, segmentation, messageId, started);

        // The reservation and the write-ahead wait for nothing of each other, and the provider waits for both: when the
        // reservation is expected to succeed they go out together, one round trip less before the provider. Expected means
        // this instance's last view of every counter admits the send (QuotaGate.ExpectsToReserve, no request): a refusal it
        // can foresee — a quota used up here, an unknown price under a spend cap — and a counter it never saw stay
        // sequential, so they write no write-ahead to take back. A guess that misses (another instance filled the quota
        // since) costs the write-ahead and its withdrawal, never a send: the reservation still decides alone. An approved
        // request stays sequential too: its write-ahead rewrites the held record the caller already knows.
        var plan = quotas.Plan(request.Caller, recipient.Number, segmentation.Segments);
        var overlap = request.ApprovedRequestId is null && quotas.ExpectsToReserve(plan);
        var reserving = ReserveAsync(request.Caller, plan);
        var writingAhead = overlap ? BeginAsync(request, attempt, message) : null;
        QuotaReservation? reservation;
        Refusal? quotaRefusal;
        try
        {
            (reservation, quotaRefusal) = await reserving;
        }
        catch when (writingAhead is not null)
        {
            // Something no store throws (a bug, the store shutting down): the exception goes on, but not before the
            // write-ahead beside it is withdrawn, so it leaves no open attempt or message the caller never learned of.
            await WithdrawAfterReservationFaultQuietlyAsync(writingAhead, message);
            await ReleaseAsync(request, claim);
            throw;
        }

        if (reservation is null)
        {
            var refusal = quotaRefusal!;
            var (written, writtenETag) = writingAhead is null ? default : await writingAhead;
            if (written is not null)
            {
                await WithdrawWriteAheadQuietlyAsync(written, message, writtenETag!, refusal);
            }
            else
            {
                // No write-ahead was stored — or it landed unheard: this record takes the attempt's row key, so it is then
                // refused and the attempt stays open, as after a crash before the provider.
                await RecordRefusalAsync(record, refusal);
            }

            await ReleaseAsync(request, claim);
            return SendOutcome.Refused(refusal);
        }

        record = attempt;
        var (handle, messageETag) = await (writingAhead ?? BeginAsync(request, record, message));
        if (handle is null || messageETag is null)
        {
            var notSent = WatchdogEvent(record, evaluation, SendOutcome.Refused(Refusal.StorageUnavailable));
            if (handle is not null)
            {
                await CompleteQuietlyAsync(handle, AuditDecision.Failed, ReasonCodes.StorageUnavailable, segmentation.Segments, notSent);
            }
            else
            {
                await InsertEventQuietlyAsync(notSent, messageId);
            }

            await quotas.ReleaseAsync(reservation, CancellationToken.None);
            await ReleaseAsync(request, claim);
            return SendOutcome.Refused(Refusal.StorageUnavailable);
        }

        ProviderSendResult sent;
        try
        {
            sent = await provider.SendAsync(new ProviderMessage(messageId, recipient.Number, body, segmentation), CancellationToken.None);
        }
        catch (SmsProviderException e)
        {
            var providerRefusal = Refusal.ForProviderFailure(e.ReasonCode);
            logger.LogWarning(e, "Provider {Provider} refused message {MessageId} ({ReasonCode}).", provider.Name, messageId, providerRefusal.Code);
            await CompleteWithMessageQuietlyAsync(handle, AuditDecision.Failed, providerRefusal.Code, segmentation.Segments, message, MessageStatus.Failed, null, messageETag,
                WatchdogEvent(record, evaluation, SendOutcome.Refused(providerRefusal)));
            if (providerRefusal.Code == ReasonCodes.RecipientOptedOut)
            {
                // The carrier says this number opted out (Twilio 21610): every caller is refused it from now on, before
                // the carrier is asked again.
                await QuietlyAsync(() => suppressions.AddAsync(recipient.Number, SuppressionSource.ProviderOptOut, CancellationToken.None), "suppression list", messageId);
            }

            await quotas.ReleaseAsync(reservation, CancellationToken.None);
            await ReleaseAsync(request, claim);
            return SendOutcome.Refused(providerRefusal);
        }

        var result = new SendResult(messageId, sent.Status, segmentation.Segments, segmentation.Encoding, recipient.Number.Masked);

        // The message is out — or, when the status is Unknown, may be: from here on failures are logged for
        // reconciliation, never turned into "not sent".
        // An unknown outcome takes the same path as an accepted one except for its audit decision, so that the
        // idempotency key replays it (a retry with the same key can never send twice) and its quota reservation
        // stays (spend limits must assume it went out).
        var unknown = sent.Status == MessageStatus.Unknown;
        var outcome = SendOutcome.Sent(result);
        // These writes depend on nothing but the answer, so they go out together (one round trip of latency); each is
        // quiet, as above. The audit completion, the message record and the watchdog event are one transaction (one day
        // partition); the rest cannot join it: Idempotency (caller) and Contacts are other tables. Only a message known to
        // have gone out makes the number known (first-contact approval); a number this walk already found in the book
        // needs no second write.
        await Task.WhenAll(
            CompleteWithMessageQuietlyAsync(handle,
                unknown ? AuditDecision.Pending : AuditDecision.Accepted,
                unknown ? ReasonCodes.ProviderOutcomeUnknown : ReasonCodes.Accepted,
                segmentation.Segments,
                message, sent.Status, sent.ProviderMessageId, messageETag,
                WatchdogEvent(record, evaluation, outcome)),
            key is null
                ? Task.CompletedTask
                : QuietlyAsync(() => idempotency.CompleteAsync(request.Caller.Id, key, claim, digest, result, started, CancellationToken.None), "idempotency completion", messageId),
            unknown || knownContact == true
                ? Task.CompletedTask
                : QuietlyAsync(() => contacts.RecordAsync(request.Caller.Id, record.RecipientRef!, started, CancellationToken.None), "contact book", messageId));

        if (unknown)
        {
            logger.LogWarning("Message {MessageId} for caller {CallerId}: provider {Provider} gave no answer; recorded as unknown, not re-sent.",
                messageId, request.Caller.Id, provider.Name);
        }
        else
        {
            logger.LogInformation("Message {MessageId} accepted by {Provider} for caller {CallerId} ({Segments} segments).",
                messageId, provider.Name, request.Caller.Id, segmentation.Segments);
        }

        return outcome;
    }

    /// <summary>
    /// The read phase's storage, in one round trip of latency: the runtime controls (one partition query), the suppression
    /// list and the contact book (only when the walk will need it: a lookup profile, or first-contact approval when
    /// <paramref name="forApproval"/>), read concurrently. An engaged kill switch refuses everything (it answers before the
    /// policy does); an opted-out recipient is refused. A store that cannot answer refuses too (fail closed), and then
    /// <c>DryRun</c> and <c>KnownContact</c> are null. Reads are issued only for a request the policy allowed, except the
    /// controls, which every request reads.
    /// </summary>
    private async Task<StoredState> ReadStoredStateAsync(CallerIdentity caller, SendEvaluation evaluation, string? recipientRef, bool forApproval, CancellationToken cancellationToken)
    {
        var allowed = evaluation is { Refusal: null, Recipient: not null };
        var needsContact = allowed && (forApproval || policy.LookupFor(caller).Mode != LookupMode.Off);
        var controlsRead = TryReadAsync(controls.ReadForSendAsync(caller.Id, cancellationToken));
        var suppressedRead = allowed ? TryReadAsync(suppressions.IsSuppressedAsync(evaluation.Recipient!.Number, cancellationToken)) : null;
        var contactRead = needsContact ? TryReadAsync(contacts.HasContactedAsync(caller.Id, recipientRef!, cancellationToken)) : null;
        await Task.WhenAll(new Task?[] { controlsRead, suppressedRead, contactRead }.OfType<Task>());

        var (sendControls, controlsError) = await controlsRead;
        var (suppressed, suppressionError) = suppressedRead is null ? (false, null) : await suppressedRead;
        var (known, contactError) = contactRead is null ? (false, null) : await contactRead;
        var error = controlsError ?? suppressionError ?? contactError;
        if (error is not null)
        {
            logger.LogError(error, "Runtime controls, suppression list or contact book could not be read for caller {CallerId}; refusing to send.", caller.Id);
        }

        var failed = error is not null;
        var refusal = sendControls?.SendingDisabled == true ? Refusal.SendingDisabled : evaluation.Refusal;
        refusal ??= failed ? Refusal.StorageUnavailable : suppressed ? Refusal.RecipientOptedOut : null;
        return new StoredState(
            evaluation with { Refusal = refusal },
            failed ? null : sendControls!.DryRun,
            needsContact && !failed ? known : null);
    }

    /// <summary>A read's answer, or the storage fault it met (anything else, cancellation included, is thrown).</summary>
    private static async Task<(T? Value, StorageException? Error)> TryReadAsync<T>(Task<T> read)
    {
        try
        {
            return (await read, null);
        }
        catch (StorageException e)
        {
            return (default, e);
        }
    }

    private sealed record StoredState(SendEvaluation Evaluation, bool? DryRun, bool? KnownContact);

    /// <summary>
    /// The first-contact lookup (<see cref="LookupGuard"/>) for a request nothing else refused, given what the read phase
    /// learned from the contact book (<paramref name="knownContact"/>; read whenever the profile asks for lookups).
    /// </summary>
    private async Task<(SendEvaluation Evaluation, bool? KnownContact)> CheckLookupAsync(CallerIdentity caller, SendEvaluation evaluation, string? recipientRef, bool? knownContact, bool mayLookUp, CancellationToken cancellationToken)
    {
        if (evaluation is not { Refusal: null, Recipient: { } recipient } || policy.LookupFor(caller).Mode == LookupMode.Off || knownContact is not { } known)
        {
            return (evaluation, knownContact);
        }

        return await lookups.CheckAsync(caller, recipient.Number, recipientRef!, evaluation.Segmentation!.Segments, known, mayLookUp, cancellationToken) is { } refusal
            ? (evaluation with { Refusal = refusal }, knownContact)
            : (evaluation, knownContact);
    }

    /// <summary>
    /// First-contact approval: when the caller's profile asks for it and the caller never texted this number (or the
    /// request says <see cref="SendRequest.RequireApproval"/>), the request is stored for an operator and answered <c>pending_approval</c> (nothing claimed, sent or counted).
    /// A null outcome means go on and send; <c>KnownContact</c> is then what the walk knows of the number, reading the
    /// contact book only when <paramref name="knownContact"/> is null and the profile needs it.
    /// </summary>
    private async Task<(SendOutcome? Outcome, bool? KnownContact)> HoldForApprovalAsync(SendRequest request, AuditRecord record, ResolvedRecipient recipient, SmsSegmentation segmentation, bool? knownContact, DateTimeOffset started)
    {
        // A replay-only repeat never holds: it answers with the first result or not at all.
        if (request.ApprovedRequestId is not null || request.ReplayOnly || (!request.RequireApproval && policy.ApprovalFor(request.Caller) != ApprovalMode.FirstContact))
        {
            return (null, knownContact);
        }

        var requestId = MessageStore.NewMessageId(started);
        try
        {
            if (!request.RequireApproval && (knownContact ?? await contacts.HasContactedAsync(request.Caller.Id, record.RecipientRef!, CancellationToken.None)))
            {
                return (null, true);
            }

            // The message record first, the approval last: an approval is what an operator can act on, so it must never
            // outlive a hold the caller was told failed (storage_unavailable, "nothing was sent") and may retry. (Two tables,
            // Audit by the id's day and Approvals in "request": no transaction can make them one write, so the order does.)
            await messages.InsertAsync(NewMessage(request.Caller, record.RecipientRef!, recipient, segmentation, requestId, started) with { Status = MessageStatus.PendingApproval }, CancellationToken.None);
            await approvals.CreateAsync(new PendingApproval(requestId, request.Caller.Id, request.To!, request.Body!, started,
                started + approvalOptions.Value.Lifetime, ApprovalState.Pending), CancellationToken.None);
        }
        catch (StorageException e)
        {
            logger.LogError(e, "First-contact approval could not be checked or stored for caller {CallerId}; refusing to send.", request.Caller.Id);
            await RecordRefusalAsync(record, Refusal.StorageUnavailable);
            return (SendOutcome.Refused(Refusal.StorageUnavailable), null);
        }

        var held = SendOutcome.Sent(new SendResult(requestId, MessageStatus.PendingApproval, segmentation.Segments, segmentation.Encoding, recipient.Number.Masked));
        await RecordFinalAsync(record with { MessageId = requestId }, AuditDecision.Pending, ReasonCodes.PendingApproval, held);
        logger.LogInformation("Message {MessageId} for caller {CallerId} waits for first-contact approval.", requestId, request.Caller.Id);
        return (held, null);
    }

    private MessageRecord NewMessage(CallerIdentity caller, string recipientRef, ResolvedRecipient recipient, SmsSegmentation segmentation, string messageId, DateTimeOffset at) => new()
    {
        MessageId = messageId,
        CallerId = caller.Id,
        RecipientMasked = recipient.Number.Masked,
        RecipientRef = recipientRef,
        Alias = recipient.Alias,
        Status = MessageStatus.Queued,
        Segments = segmentation.Segments,
        Encoding = segmentation.Encoding,
        Provider = provider.Name,
        CreatedAt = at,
        UpdatedAt = at,
    };

    /// <summary>
    /// The writes the provider call waits for: the write-ahead audit attempt, the message record and its pending marker.
    /// A new message's id names the audit record's day partition, so the three are one entity group transaction: all
    /// stored or none, in one round trip. An approved request keeps the id it was held under; when that names another
    /// day, the audit attempt goes first and the record (rewriting the held one) with its marker is a second transaction
    /// in the id's partition. Either way the provider is called only once all of them are stored. Returns the audit
    /// handle and the message record's ETag, both null when nothing may be sent; an audit attempt written without its
    /// message record is returned alone, for the caller to complete as failed.
    /// </summary>
    private async Task<(AuditHandle? Handle, string? MessageETag)> BeginAsync(SendRequest request, AuditRecord record, MessageRecord message)
    {
        var sameDay = MessageStore.PartitionOf(message.MessageId) == AuditLog.PartitionFor(record);
        if (sameDay)
        {
            var writes = request.ApprovedRequestId is null ? MessageStore.InsertWrites(message) : MessageStore.UpsertWrites(message);
            var (begun, error) = await TryReadAsync(audit.BeginAsync(record, writes, CancellationToken.None));
            if (error is not null)
            {
                logger.LogError(error, "Write-ahead audit record and message record failed for caller {CallerId}; refusing to send.", record.CallerId);
                return (null, null);
            }

            return (begun.Handle, begun.Alongside[0]);
        }

        var (handle, auditError) = await TryReadAsync(audit.BeginAsync(record, CancellationToken.None));
        if (auditError is not null)
        {
            logger.LogError(auditError, "Write-ahead audit record failed for caller {CallerId}; refusing to send.", record.CallerId);
            return (null, null);
        }

        // An approved request already has its (pending_approval) record, under the same id.
        var (upserted, upsertError) = await TryReadAsync(messages.UpsertAsync(message, CancellationToken.None));
        if (upsertError is not null)
        {
            logger.LogError(upsertError, "Message record for {MessageId} could not be written; refusing to send.", message.MessageId);
        }

        return (handle, upserted);
    }

    /// <summary>
    /// The quota reservation, or the refusal the caller gets instead: the ledger's, or <c>storage_unavailable</c> when it
    /// cannot answer (fail closed). Throws nothing a store throws.
    /// </summary>
    private async Task<(QuotaReservation? Reservation, Refusal? Refusal)> ReserveAsync(CallerIdentity caller, QuotaPlan plan)
    {
        try
        {
            var decision = await quotas.ReserveAsync(plan, CancellationToken.None);
            return (decision.Reservation, decision.Refusal);
        }
        catch (StorageException e)
        {
            logger.LogError(e, "Quota reservation failed for caller {CallerId}; refusing to send.", caller.Id);
            return (null, Refusal.StorageUnavailable);
        }
    }

    /// <summary>
    /// Ends a walk whose write-ahead was stored together with a reservation that refused or failed: nothing is sent, and
    /// the caller is told <paramref name="refusal"/>. One transaction of the day partition completes the audit attempt as
    /// denied with that reason (the walk's one record, saying what a refusal before the write-ahead would have said), deletes
    /// the message record and its pending marker — the caller never learns the id, so the record could only ever be a
    /// message queued forever for the reconciler — and writes the walk's watchdog event. When it fails, the completion and
    /// the deletion are tried alone. Quiet: the answer is the refusal whatever they do; what they leave undone looks like a
    /// crash before the provider (an open attempt, a queued record with its marker), never like a send.
    /// </summary>
    /// <remarks>Only a walk that minted its message id itself overlaps, so the record is in the audit record's day partition.</remarks>
    private async Task WithdrawWriteAheadQuietlyAsync(AuditHandle handle, MessageRecord message, string messageETag, Refusal refusal)
    {
        var segments = handle.Record.Segments;
        var (auditError, eventError) = await traffic.WriteWithAuditAsync(AuditLog.PartitionFor(handle.Record), WatchdogEvent(handle.Record, null, SendOutcome.Refused(refusal)),
            alongside => audit.CompleteAsync(handle, AuditDecision.Denied, refusal.Code, segments, [.. MessageStore.WithdrawWrites(message, messageETag), .. alongside], CancellationToken.None));
        LogLostEvent(eventError, message.MessageId);
        if (auditError is null)
        {
            return;
        }

        logger.LogWarning(auditError, "The audit completion and the withdrawal of message {MessageId} failed together; each is tried alone.", message.MessageId);
        await Task.WhenAll(
            CompleteQuietlyAsync(handle, AuditDecision.Denied, refusal.Code, segments, null),
            QuietlyAsync(() => messages.WithdrawAsync(message, messageETag, CancellationToken.None), "message record withdrawal", message.MessageId));
    }

    /// <summary>
    /// The write-ahead that went out beside a reservation that threw: awaited, and withdrawn as <c>storage_unavailable</c>
    /// if it was stored. Quiet: the reservation's exception is what the caller gets.
    /// </summary>
    private async Task WithdrawAfterReservationFaultQuietlyAsync(Task<(AuditHandle? Handle, string? MessageETag)> writingAhead, MessageRecord message)
    {
        try
        {
            if (await writingAhead is ({ } written, { } writtenETag))
            {
                await WithdrawWriteAheadQuietlyAsync(written, message, writtenETag, Refusal.StorageUnavailable);
            }
        }
        catch (Exception e)
        {
            logger.LogError(e, "The write-ahead of message {MessageId} could not be withdrawn after its quota reservation failed.", message.MessageId);
        }
    }

    private Task RecordRefusalAsync(AuditRecord record, Refusal refusal) =>
        RecordFinalAsync(record, AuditDecision.Denied, refusal.Code, SendOutcome.Refused(refusal));

    /// <summary>
    /// Writes the one audit record of a decided call, with the watchdog event of <paramref name="outcome"/> in the same
    /// transaction. Never cancelled: once decided, the record is written even when the caller has hung up, and a
    /// cancellation can no longer turn the call into a second, <c>cancelled</c> record.
    /// </summary>
    private async Task RecordFinalAsync(AuditRecord record, AuditDecision decision, string reasonCode, SendOutcome outcome)
    {
        var final = record with { Decision = decision, ReasonCode = reasonCode };
        var (auditError, eventError) = await traffic.WriteWithAuditAsync(AuditLog.PartitionFor(final), WatchdogEvent(final, null, outcome),
            alongside => audit.RecordAsync(final, alongside, CancellationToken.None));
        if (auditError is not null)
        {
            // Nothing is sent on this path, so the answer stands; the gap in the trail is what gets logged.
            logger.LogError(auditError, "Audit record ({ReasonCode}) for caller {CallerId} could not be written.", reasonCode, record.CallerId);
        }

        LogLostEvent(eventError, record.MessageId);
    }

    /// <summary>
    /// The watchdog event of the walk that wrote <paramref name="record"/>, stamped with the record's time so it falls in
    /// the record's day partition and can be written in the same transaction. <paramref name="evaluation"/> is needed only
    /// for a send that went out.
    /// </summary>
    private TableWrite WatchdogEvent(AuditRecord record, SendEvaluation? evaluation, SendOutcome outcome) =>
        traffic.SendEvent(new CallerIdentity(record.CallerId), evaluation, outcome, record.Time);

    /// <summary>
    /// The audit completion, the message record's update (from the record as this walk wrote it, at
    /// <paramref name="messageETag"/>) and the walk's watchdog event as one transaction when they share a day partition.
    /// When a status callback overtook the message write (412 on it), the audit completion and the event go without it
    /// and the record is read and merged, so its status never moves backwards; on any other failure each write is tried
    /// again on its own (the event's row key is fixed, so it is never counted twice). Quiet: after the provider the
    /// caller's answer never depends on these writes.
    /// </summary>
    private async Task CompleteWithMessageQuietlyAsync(
        AuditHandle handle, AuditDecision decision, string reasonCode, int segments, MessageRecord message, MessageStatus status, string? providerId, string messageETag,
        TableWrite watchdogEvent)
    {
        var updated = message with { Status = status, ProviderMessageId = providerId, UpdatedAt = time.GetUtcNow() };
        var partition = AuditLog.PartitionFor(handle.Record);
        if (MessageStore.PartitionOf(message.MessageId) != partition)
        {
            await Task.WhenAll(CompleteQuietlyAsync(handle, decision, reasonCode, segments, watchdogEvent), SaveSendResultQuietlyAsync(updated, message, messageETag));
            return;
        }

        var messageWrite = MessageStore.SendResultWrite(updated, messageETag);
        var (auditError, eventError) = await traffic.WriteWithAuditAsync(partition, watchdogEvent,
            alongside => audit.CompleteAsync(handle, decision, reasonCode, segments, [messageWrite, .. alongside], CancellationToken.None));
        LogLostEvent(eventError, message.MessageId);
        switch (auditError)
        {
            case null:
                return;
            case PreconditionFailedException { FailedWriteIndex: 1 }:
                // A status callback changed the record since this walk wrote it; nothing of the transaction was written.
                await Task.WhenAll(CompleteQuietlyAsync(handle, decision, reasonCode, segments, null), SaveSendResultQuietlyAsync(updated, null, null));
                return;
            default:
                logger.LogWarning(auditError, "The audit completion and message record of message {MessageId} failed together; each is tried alone.", message.MessageId);
                await Task.WhenAll(CompleteQuietlyAsync(handle, decision, reasonCode, segments, null), SaveSendResultQuietlyAsync(updated, message, messageETag));
                return;
        }
    }

    /// <param name="updated">The record with the carrier's answer.</param>
    /// <param name="inserted">The record as this walk wrote it, at <paramref name="insertedETag"/>: the update then needs no read. Null: read and merge.</param>
    /// <param name="insertedETag">The ETag of <paramref name="inserted"/>.</param>
    private Task SaveSendResultQuietlyAsync(MessageRecord updated, MessageRecord? inserted, string? insertedETag) =>
        QuietlyAsync(
            () => messages.SaveSendResultAsync(updated, insertedETag, inserted, CancellationToken.None),
            "message record update",
            updated.MessageId);

    /// <summary>The audit completion, with the walk's watchdog event in the same transaction when one is given.</summary>
    private async Task CompleteQuietlyAsync(AuditHandle handle, AuditDecision decision, string reasonCode, int segments, TableWrite? watchdogEvent)
    {
        if (watchdogEvent is null)
        {
            await QuietlyAsync(() => audit.CompleteAsync(handle, decision, reasonCode, segments, CancellationToken.None), "audit completion", handle.Record.MessageId);
            return;
        }

        var (auditError, eventError) = await traffic.WriteWithAuditAsync(AuditLog.PartitionFor(handle.Record), watchdogEvent,
            alongside => audit.CompleteAsync(handle, decision, reasonCode, segments, alongside, CancellationToken.None));
        if (auditError is not null)
        {
            logger.LogError(auditError, "The {What} for message {MessageId} failed; the audit trail shows the attempt for reconciliation.", "audit completion", handle.Record.MessageId);
        }

        LogLostEvent(eventError, handle.Record.MessageId);
    }

    private async Task ReleaseAsync(SendRequest request, IdempotencyClaim claim)
    {
        if (claim.Owned && request.IdempotencyKey is { } key)
        {
            await QuietlyAsync(() => idempotency.ReleaseAsync(request.Caller.Id, key, claim, CancellationToken.None), "idempotency release", null);
        }
    }

    private async Task InsertEventQuietlyAsync(TableWrite watchdogEvent, string? messageId) =>
        LogLostEvent(await traffic.TryInsertAsync(watchdogEvent), messageId);

    /// <summary>A lost watchdog event never changes the walk's answer: the audit trail still holds the attempt.</summary>
    private void LogLostEvent(StorageException? error, string? messageId)
    {
        if (error is not null)
        {
            logger.LogError(error, "The {What} for message {MessageId} failed; the audit trail shows the attempt for reconciliation.", "watchdog event", messageId);
        }
    }

    private async Task QuietlyAsync(Func<Task> action, string what, string? messageId)
    {
        try
        {
            await action();
        }
        catch (StorageException e)
        {
            logger.LogError(e, "The {What} for message {MessageId} failed; the audit trail shows the attempt for reconciliation.", what, messageId);
        }
    }
}
