using System.Text.Json;

namespace SmsMcp.Server.Hosting;

/// <summary>
/// Non-HTTP triggers: the Functions host POSTs <c>/{functionName}</c> with <c>{"Data":{…},"Metadata":{…}}</c>
/// and expects <c>{"Outputs":{},"Logs":[],"ReturnValue":null}</c> back.
/// </summary>
public static class FunctionInvocationEndpoints
{
    public const string AnomalyScan = "anomaly-scan";
    private const int MaxPayloadBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapFunctionInvocations(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/" + AnomalyScan, async (HttpContext context, AnomalyScanJob job) =>
        {
            if (!await IsInvocationPayloadAsync(context.Request, context.RequestAborted))
            {
                return Results.BadRequest(new { error = "Expected a Functions invocation payload: a JSON object with 'Data' and 'Metadata'." });
            }

            var logs = await job.RunAsync(context.RequestAborted);
            return Results.Json(new FunctionInvocationResponse(new Dictionary<string, object?>(), logs, null));
        });
        return endpoints;
    }

    public static IServiceCollection AddFunctionInvocations(this IServiceCollection services) =>
        services.AddSingleton<AnomalyScanJob>();

    private static async Task<bool> IsInvocationPayloadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxPayloadBytes)
        {
            return false;
        }

        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
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
