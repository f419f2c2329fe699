using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using SmsMcp.Core.Approvals;
using SmsMcp.Core.Callers;
using SmsMcp.Core.Controls;
using SmsMcp.Core.Messages;
using SmsMcp.Core.Policy;
using SmsMcp.Core.Quotas;
using SmsMcp.Core.Storage;
using SmsMcp.Core.Vocabulary;
using SmsMcp.Http.Hosting;
using SmsMcp.Http.Mcp;
using SmsMcp.Http.Mcp.Tools;

namespace SmsMcp.Http.Admin;

/// <summary>
/// The operator surface under <c>/admin</c> (JSON): read and flip the kill switch and dry-run mode, globally and per
/// caller; approve or deny first-contact requests. Every route sits behind <see cref="AdminRequestFilter"/>; every change is audited by
/// <see cref="RuntimeControls"/> before it is made.
/// </summary>
public static class AdminEndpoints
{
    public const string Prefix = "/admin";

    /// <summary>The control names that appear in responses.</summary>
    public const string KillSwitch = "kill_switch";

    public const string DryRun = "dry_run";

    /// <summary>Audit records name the changer with this prefix, so an operator id never reads as an MCP caller.</summary>
    public const string ChangerPrefix = "admin:";

    /// <summary>Largest accepted control change body; <c>{"engaged": true}</c> is 17 bytes.</summary>
    private const int MaxBodyBytes = 4096;

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private delegate Task<ControlState> ReadControl(RuntimeControls controls, string? callerId, CancellationToken cancellationToken);

    private delegate Task WriteControl(RuntimeControls controls, string? callerId, bool engaged, string changedBy, CancellationToken cancellationToken);

    /// <summary>Operator keys (<c>Admin</c> section, validated at start) and the filter that checks them.</summary>
    public static IServiceCollection AddAdminEndpoint(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AdminOptions>().Bind(configuration.GetSection(AdminOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<AdminOptions>, AdminOptionsValidator>();
        services.AddSingleton<AdminAuthenticator>();
        services.AddSingleton<AdminRequestFilter>();
        return services;
    }

    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(Prefix).AddSingletonEndpointFilter<RouteGroupBuilder, AdminRequestFilter>();
        MapControl(group, "kill-switch", KillSwitch, (c, id, ct) => c.GetKillSwitchAsync(id, ct), (c, id, on, by, ct) => c.SetKillSwitchAsync(id, on, by, ct));
        MapControl(group, "dry-run", DryRun, (c, id, ct) => c.GetDryRunAsync(id, ct), (c, id, on, by, ct) => c.SetDryRunAsync(id, on, by, ct));
        group.MapGet("/approvals", ListApprovalsAsync);
        group.MapGet("/usage", ListUsageAsync);
        group.MapGet("/approvals/{requestId}", GetApprovalAsync);
        group.MapPost("/approvals/{requestId}/approve", (string requestId, HttpContext context, ApprovalService approvals, CancellationToken ct) =>
            ResolveAsync(requestId, (id, by) => approvals.ApproveAsync(id, by, ct), context));
        group.MapPost("/approvals/{requestId}/deny", (string requestId, HttpContext context, ApprovalService approvals, CancellationToken ct) =>
            ResolveAsync(requestId, (id, by) => approvals.DenyAsync(id, by, ct), context));

        // Declared so the Functions route "admin/{*path}" is served, and so an unknown admin route is refused
        // only after the filter: without a key nobody learns which routes exist.
        group.MapMethods("/{*path}", [HttpMethods.Get, HttpMethods.Put, HttpMethods.Post, HttpMethods.Delete], () => TypedResults.NotFound());
        return endpoints;
    }

    /// <summary><c>GET/PUT /admin/{path}</c> (global) and <c>GET/PUT /admin/callers/{callerId}/{path}</c>.</summary>
    private static void MapControl(RouteGroupBuilder group, string path, string name, ReadControl read, WriteControl write)
    {
        group.MapGet("/" + path, (RuntimeControls controls, CancellationToken ct) => GetAsync(controls, name, null, read, ct));
        group.MapPut("/" + path, (HttpContext context, RuntimeControls controls, CancellationToken ct) =>
            SetAsync(context, controls, name, null, read, write, ct));
        group.MapGet("/callers/{callerId}/" + path, (string callerId, SendPolicy policy, RuntimeControls controls, CancellationToken ct) =>
            CheckCaller(callerId, policy) ?? GetAsync(controls, name, callerId, read, ct));
        group.MapPut("/callers/{callerId}/" + path, (string callerId, SendPolicy policy, HttpContext context, RuntimeControls controls, CancellationToken ct) =>
            CheckCaller(callerId, policy) ?? SetAsync(context, controls, name, callerId, read, write, ct));
    }

    /// <summary>
    /// 400 for a malformed caller id, 404 for one the policy's <c>callers</c> does not list, null to go on. Ids are
    /// compared exactly, as the policy and authentication compare them: a control set on <c>DEV</c> would never be
    /// read for caller <c>dev</c>, so it is refused rather than answered "engaged". The 404 names nothing about the policy.
    /// </summary>
    private static Task<Results<Ok<ControlStateResponse>, NotFound, ProblemHttpResult>>? CheckCaller(string callerId, SendPolicy policy) =>
        !CallerIdentity.IsValidId(callerId) ? Task.FromResult<Results<Ok<ControlStateResponse>, NotFound, ProblemHttpResult>>(
                TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The caller id must be 1-64 of letters, digits, '-', '_', '.', ':'."))
            : policy.ProfileFor(callerId) is null ? Task.FromResult<Results<Ok<ControlStateResponse>, NotFound, ProblemHttpResult>>(TypedResults.NotFound())
            : null;

    private static async Task<Results<Ok<ControlStateResponse>, NotFound, ProblemHttpResult>> GetAsync(
        RuntimeControls controls, string name, string? callerId, ReadControl read, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(ControlStateResponse.From(name, callerId, await read(controls, callerId, cancellationToken)));
        }
        catch (StorageException)
        {
            return StorageUnavailable();
        }
    }

    private static async Task<Results<Ok<ControlStateResponse>, NotFound, ProblemHttpResult>> SetAsync(
        HttpContext context, RuntimeControls controls, string name, string? callerId, ReadControl read, WriteControl write, CancellationToken cancellationToken)
    {
        // Read here, not bound as a parameter: minimal APIs bind bodies before endpoint filters run, and no body may
        // be parsed before the admin key is checked.
        var body = await RequestBody.ReadAsync(context.Request, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413RequestEntityTooLarge, title: $"The body must be at most {MaxBodyBytes} bytes.");
        }

        if (ReadChange(body) is not { Engaged: { } engaged })
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The body must be {\"engaged\": true|false}.");
        }

        try
        {
            await write(controls, callerId, engaged, ChangerPrefix + AdminRequestFilter.OperatorOf(context), cancellationToken);
            return TypedResults.Ok(ControlStateResponse.From(name, callerId, await read(controls, callerId, cancellationToken)));
        }
        catch (StorageException)
        {
            return StorageUnavailable();
        }
    }

    private static async Task<Results<Ok<ApprovalView[]>, ProblemHttpResult>> ListApprovalsAsync(ApprovalService approvals, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok((await approvals.ListPendingAsync(cancellationToken)).Select(r => ApprovalView.From(r, withText: false)).ToArray());
        }
        catch (StorageException)
        {
            return StorageUnavailable();
        }
    }

    /// <summary>Every caller of the policy with its usage today and this month and its own limits (what <c>get_usage</c> shows it).</summary>
    private static async Task<Results<Ok<CallerUsageView[]>, ProblemHttpResult>> ListUsageAsync(SendPolicy policy, QuotaGate quotas, CancellationToken cancellationToken)
    {
        try
        {
            var views = new List<CallerUsageView>(policy.Callers.Count);
            foreach (var (callerId, profile) in policy.Callers.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                views.Add(new CallerUsageView(callerId, profile, GetUsageTool.ToResult(await quotas.UsageAsync(new CallerIdentity(callerId), cancellationToken))));
            }

            return TypedResults.Ok(views.ToArray());
        }
        catch (StorageException)
        {
            return StorageUnavailable();
        }
    }

    private static async Task<Results<Ok<ApprovalView>, NotFound, ProblemHttpResult>> GetApprovalAsync(string requestId, ApprovalService approvals, CancellationToken cancellationToken)
    {
        try
        {
            return MessageStore.IsWellFormedId(requestId) && await approvals.GetAsync(requestId, cancellationToken) is { } request
                ? TypedResults.Ok(ApprovalView.From(request, withText: true))
                : TypedResults.NotFound();
        }
        catch (StorageException)
        {
            return StorageUnavailable();
        }
    }

    /// <summary>200 resolved; 404 no such request; 409 already resolved; 410 expired (nothing sent); 503 storage.</summary>
    private static async Task<Results<Ok<ApprovalResponse>, NotFound, Conflict<ApprovalResponse>, JsonHttpResult<ApprovalResponse>, ProblemHttpResult>> ResolveAsync(
        string requestId, Func<string, string, Task<ApprovalResult>> resolve, HttpContext context)
    {
        if (!MessageStore.IsWellFormedId(requestId))
        {
            return TypedResults.NotFound();
        }

        ApprovalResult result;
        try
        {
            result = await resolve(requestId, ChangerPrefix + AdminRequestFilter.OperatorOf(context));
        }
        catch (StorageException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Storage is unavailable; the request was not resolved.");
        }

        var sent = result.Send?.Result;
        var response = new ApprovalResponse(
            requestId,
            result.State?.ToString().ToLowerInvariant(),
            sent is null ? null : sent.DryRun ? ReasonCodes.DryRun : WireFormat.Of(sent.Status),
            result.Send?.Refusal?.Code);
        return result.Kind switch
        {
            ApprovalResultKind.NotFound => TypedResults.NotFound(),
            ApprovalResultKind.AlreadyResolved => TypedResults.Conflict(response),
            ApprovalResultKind.Expired => TypedResults.Json(response, statusCode: StatusCodes.Status410Gone),
            _ => TypedResults.Ok(response),
        };
    }

    private static ControlChange? ReadChange(byte[] body)
    {
        try
        {
            return JsonSerializer.Deserialize<ControlChange>(body, JsonOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // Fail closed and say so: a change that could not be audited and stored was not made.
    private static ProblemHttpResult StorageUnavailable() =>
        TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Storage is unavailable; nothing was read or changed.");
}
