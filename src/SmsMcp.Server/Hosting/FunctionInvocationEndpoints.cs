using System.Text.Json;
using SmsMcp.Core.Delivery;
using SmsMcp.Http.Mcp;

namespace SmsMcp.Server.Hosting;

/// <summary>
/// Non-HTTP triggers: the Functions host POSTs <c>/{functionName}</c> with <c>{"Data":{…},"Metadata":{…}}</c>
/// and expects <c>{"Outputs":{},"Logs":[],"ReturnValue":null}</c> back.
/// </summary>
public static class FunctionInvocationEndpoints
{
    public const string AnomalyScan = "anomaly-scan";

    /// <summary>Fetches messages still without a final status from the carrier (<see cref="StatusReconciler"/>).</summary>
    public const string ReconcileStatus = "reconcile-status";
    private const int MaxPayloadBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapFunctionInvocations(this IEndpointRouteBuilder endpoints)
    {
        MapTimer(endpoints, AnomalyScan, (services, cancellationToken) => services.GetRequiredService<AnomalyScanJob>().RunAsync(cancellationToken));
        MapTimer(endpoints, ReconcileStatus, async (services, cancellationToken) =>
        {
            var summary = await services.GetRequiredService<StatusReconciler>().RunAsync(cancellationToken);
            return [$"Status reconciliation: {summary.Examined} pending, {summary.Fetched} fetched, {summary.Applied} updated, {summary.Settled} settled, {summary.WithoutCarrierId} without a carrier id, {summary.Errors} errors."];
        });
        return endpoints;
    }

    public static IServiceCollection AddFunctionInvocations(this IServiceCollection services) =>
        services.AddSingleton<AnomalyScanJob>();

    private static void MapTimer(IEndpointRouteBuilder endpoints, string functionName, Func<IServiceProvider, CancellationToken, Task<IReadOnlyList<string>>> run) =>
        endpoints.MapPost("/" + functionName, async (HttpContext context) =>
        {
            if (!await IsInvocationPayloadAsync(context.Request, context.RequestAborted))
            {
                return Results.BadRequest(new { error = "Expected a Functions invocation payload: a JSON object with 'Data' and 'Metadata'." });
            }

            var logs = await run(context.RequestServices, context.RequestAborted);
            return Results.Json(new FunctionInvocationResponse(new Dictionary<string, object?>(), logs, null));
        });

    private static async Task<bool> IsInvocationPayloadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        // Read under the cap whatever the framing: a chunked body has no Content-Length to refuse up front.
        if (await RequestBody.ReadAsync(request, MaxPayloadBytes, cancellationToken) is not { } body)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("Data", out var data) && data.ValueKind == JsonValueKind.Object
                && (!document.RootElement.TryGetProperty("Metadata", out var metadata) || metadata.ValueKind == JsonValueKind.Object);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
