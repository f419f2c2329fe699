using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using SmsMcp.Core.Confirmation;
using SmsMcp.Core.Idempotency;
using SmsMcp.Core.Policy;
using SmsMcp.Core.Pricing;
using SmsMcp.Core.Sending;
using SmsMcp.Core.Storage;
using SmsMcp.Core.Vocabulary;

namespace SmsMcp.Http.Mcp.Confirmation;

/// <summary>
/// Human confirmation in the client, decided before the send walk runs. For a caller whose profile says
/// <c>"confirm": "client"</c>, a <c>send_sms</c> without request state is answered (2026-07-28, multi round trip) with an
/// <c>input_required</c> result carrying a form elicitation and an HMAC-protected request state; the retried call —
/// same arguments, the state echoed, the answer in <c>inputResponses</c> — sends only if the state redeems (this
/// caller, this exact request, unexpired, first use) and the answer is an accepted, ticked form. Every other ending is
/// one audited refusal. A client that cannot elicit is refused, or its send held for an operator when the profile says
/// <c>"confirmFallback": "approval"</c>.
/// </summary>
/// <remarks>
/// What this proves is that whoever holds the client answered yes: a client can answer its own elicitation, so this is
/// a guard against a model acting alone in an honest client, not against a hostile client (operator approval is that).
/// </remarks>
public sealed class ClientConfirmation(PolicyEngine policy, SendPipeline pipeline, PriceList prices, ConfirmationGate gate, ConfirmationAudit audit, IdempotencyStore idempotency)
{
    public async Task<ConfirmationDecision> DecideAsync(RequestContext<CallToolRequestParams> context, SendRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var (mode, fallback, profile) = policy.ConfirmationFor(request.Caller);
        if (mode != ConfirmMode.Client || profile is null)
        {
            return ConfirmationDecision.Send(request);
        }

        var parameters = context.Params!;
        var digest = gate.RequestDigest(request.Caller.Id, profile, request.To, request.Body, request.IdempotencyKey);
        if (parameters.RequestState is not null || parameters.InputResponses is not null)
        {
            return await CompleteAsync(request, parameters, digest, cancellationToken);
        }

        if (await AlreadySentAsync(request, cancellationToken))
        {
            // A repeat (same idempotency key) of a send that already went out: its user confirmed it then, and the walk
            // can only answer with that first result, so it is not asked again.
            return ConfirmationDecision.Send(request with { ReplayOnly = true });
        }

        if (!CanElicit(context.Server))
        {
            if (fallback == ConfirmFallback.Approval)
            {
                return ConfirmationDecision.Send(request with { RequireApproval = true });
            }

            return await RefuseAsync(request, Refusal.ConfirmationUnavailable);
        }

        // A request that would be refused is not put to a person; it is refused here, with the walk's own reason. Handing
        // it to the walk instead could send it unconfirmed if what refused it (a quota, the kill switch) changed meanwhile.
        if (request.IdempotencyKey is not null && !IdempotencyStore.IsValidKey(request.IdempotencyKey))
        {
            return await RefuseAsync(request, Refusal.InvalidIdempotencyKey);
        }

        var evaluation = await pipeline.PreviewAsync(request.Caller, request.To, request.Body, cancellationToken);
        if (evaluation.Refusal is { } refused)
        {
            return await RefuseAsync(request, refused);
        }

        var cost = prices.Estimate(evaluation.Recipient!.Number.Region, evaluation.Segmentation!.Segments);
        var form = ConfirmationForm.For(evaluation, cost, request.Body!);
        await audit.RecordQuestionAsync(request.Caller, evaluation, request.Body!);
        throw new InputRequiredException(
            new Dictionary<string, InputRequest> { [ConfirmationForm.InputKey] = InputRequest.ForElicitation(form) },
            gate.Issue(request.Caller.Id, digest));
    }

    /// <summary>
    /// Whether the request repeats an idempotency key whose send completed. A store that cannot answer says no: the
    /// question is then asked, which is the careful side.
    /// </summary>
    private async Task<bool> AlreadySentAsync(SendRequest request, CancellationToken cancellationToken)
    {
        if (!IdempotencyStore.IsValidKey(request.IdempotencyKey))
        {
            return false;
        }

        try
        {
            return await idempotency.HasCompletedAsync(request.Caller.Id, request.IdempotencyKey!, cancellationToken);
        }
        catch (StorageException)
        {
            return false;
        }
    }

    /// <summary>
    /// The multi-round-trip form needs the 2026-07-28 revision (the SDK's MRTR flag) and form elicitation declared on
    /// this very request (2026-07-28 has no session to remember capabilities in).
    /// </summary>
    private static bool CanElicit(McpServer server) =>
        server.IsMrtrSupported && server.ClientCapabilities?.Elicitation?.Form is not null;

    private async Task<ConfirmationDecision> CompleteAsync(SendRequest request, CallToolRequestParams parameters, string digest, CancellationToken cancellationToken)
    {
        // The state is redeemed (and so used up) before the answer is read: a declined state can never be replayed as an accept.
        if (await gate.RedeemAsync(request.Caller.Id, digest, parameters.RequestState, cancellationToken) is { } refusal)
        {
            return await RefuseAsync(request, refusal);
        }

        return Answer(parameters) switch
        {
            null => await RefuseAsync(request, Refusal.ConfirmationInvalid),
            true => ConfirmationDecision.Send(request),
            false => await RefuseAsync(request, Refusal.ConfirmationDeclined),
        };
    }

    /// <summary>True for an accepted form with the box ticked; false for a decline, a cancel or an unticked box; null when there is no readable answer.</summary>
    private static bool? Answer(CallToolRequestParams parameters)
    {
        if (parameters.InputResponses is null || !parameters.InputResponses.TryGetValue(ConfirmationForm.InputKey, out var response) || response is null)
        {
            return null;
        }

        ElicitResult? result;
        try
        {
            result = response.Deserialize(InputResponse.ElicitResultJsonTypeInfo);
        }
        catch (JsonException)
        {
            return null;
        }

        if (result is null)
        {
            return null;
        }

        return result.Action == "accept"
            && result.Content is { } content
            && content.TryGetValue(ConfirmationForm.ConfirmField, out var ticked)
            && ticked.ValueKind == JsonValueKind.True;
    }

    private async Task<ConfirmationDecision> RefuseAsync(SendRequest request, Refusal refusal)
    {
        await audit.RecordRefusalAsync(request.Caller, request.To, request.Body, refusal);
        return ConfirmationDecision.Refused(refusal);
    }
}
