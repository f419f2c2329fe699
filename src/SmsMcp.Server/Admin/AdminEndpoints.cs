using Microsoft.AspNetCore.Http.HttpResults;
using SmsMcp.Core.Callers;
using SmsMcp.Core.Controls;
using SmsMcp.Core.Storage;

namespace SmsMcp.Server.Admin;

/// <summary>
/// The operator surface under <c>/admin</c> (JSON): read and flip the kill switch, globally and per caller. Every
/// route sits behind <see cref="AdminRequestFilter"/>; every change is audited by <see cref="RuntimeControls"/>
/// before it is made.
/// </summary>
public static class AdminEndpoints
{
    public const string Prefix = "/admin";

    /// <summary>The control names that appear in responses.</summary>
    public const string KillSwitch = "kill_switch";

    /// <summary>Audit records name the changer with this prefix, so an operator id never reads as an MCP caller.</summary>
    public const string ChangerPrefix = "admin:";

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
        var group = endpoints.MapGroup(Prefix).AddEndpointFilter<AdminRequestFilter>();
        group.MapGet("/kill-switch", (RuntimeControls controls, CancellationToken ct) => GetKillSwitchAsync(controls, null, ct));
        group.MapPut("/kill-switch", (KillSwitchChange change, HttpContext context, RuntimeControls controls, CancellationToken ct) =>
            SetKillSwitchAsync(controls, null, change, AdminRequestFilter.OperatorOf(context), ct));
        group.MapGet("/callers/{callerId}/kill-switch", (string callerId, RuntimeControls controls, CancellationToken ct) =>
            CallerIdentity.IsValidId(callerId) ? GetKillSwitchAsync(controls, callerId, ct) : InvalidCallerAsync());
        group.MapPut("/callers/{callerId}/kill-switch", (string callerId, KillSwitchChange change, HttpContext context, RuntimeControls controls, CancellationToken ct) =>
            CallerIdentity.IsValidId(callerId) ? SetKillSwitchAsync(controls, callerId, change, AdminRequestFilter.OperatorOf(context), ct) : InvalidCallerAsync());

        // Declared so the Functions route "admin/{*path}" is served, and so an unknown admin route is refused
        // only after the filter: without a key nobody learns which routes exist.
        group.MapMethods("/{*path}", [HttpMethods.Get, HttpMethods.Put, HttpMethods.Post, HttpMethods.Delete], () => TypedResults.NotFound());
        return endpoints;
    }

    private static async Task<Results<Ok<ControlStateResponse>, ProblemHttpResult>> GetKillSwitchAsync(RuntimeControls controls, string? callerId, CancellationToken cancellationToken)
    {
        try
        {
            var state = await controls.GetKillSwitchAsync(callerId, cancellationToken);
            return TypedResults.Ok(ControlStateResponse.From(KillSwitch, callerId, state));
        }
        catch (StorageException)
        {
            return StorageUnavailable();
        }
    }

    private static async Task<Results<Ok<ControlStateResponse>, ProblemHttpResult>> SetKillSwitchAsync(RuntimeControls controls, string? callerId, KillSwitchChange change, string operatorId, CancellationToken cancellationToken)
    {
        if (change.Engaged is not { } engaged)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The body must be {\"engaged\": true|false}.");
        }

        try
        {
            await controls.SetKillSwitchAsync(callerId, engaged, ChangerPrefix + operatorId, cancellationToken);
            var state = await controls.GetKillSwitchAsync(callerId, cancellationToken);
            return TypedResults.Ok(ControlStateResponse.From(KillSwitch, callerId, state));
        }
        catch (StorageException)
        {
            return StorageUnavailable();
        }
    }

    private static Task<Results<Ok<ControlStateResponse>, ProblemHttpResult>> InvalidCallerAsync() =>
        Task.FromResult<Results<Ok<ControlStateResponse>, ProblemHttpResult>>(
            TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The caller id must be 1-64 of letters, digits, '-', '_', '.', ':'."));

    // Fail closed and say so: a change that could not be audited and stored was not made.
    private static ProblemHttpResult StorageUnavailable() =>
        TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Storage is unavailable; the control was not read or changed.");
}
