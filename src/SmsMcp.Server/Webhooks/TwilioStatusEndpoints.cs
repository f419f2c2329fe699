namespace SmsMcp.Server.Webhooks;

public static class TwilioStatusEndpoints
{
    public const string Path = "/twilio/status";

    /// <summary>Declared in function.json already; answers 404 until signed status callbacks are implemented (Twilio issue).</summary>
    public static IEndpointRouteBuilder MapTwilioStatus(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Path, () => Results.NotFound());
        return endpoints;
    }
}
