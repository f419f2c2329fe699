namespace SmsMcp.Http.Auth.OAuth;

public static class ProtectedResourceMetadataEndpoints
{
    /// <summary>The route both hosts map (the catch-all lets one Functions trigger serve both documents).</summary>
    public const string Route = ProtectedResourceMetadata.WellKnownPath + "/{*resourcePath}";

    /// <summary>GET on both well-known URLs, anonymous (RFC 9728); 404 while OAuth is off (the route exists in both hosts either way).</summary>
    public static IEndpointRouteBuilder MapProtectedResourceMetadata(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Route, (string? resourcePath, ProtectedResourceMetadata metadata) =>
            metadata.Enabled && metadata.DocumentFor(resourcePath) is { } document
                ? Results.Json(document, contentType: "application/json")
                : Results.NotFound());
        return endpoints;
    }
}
