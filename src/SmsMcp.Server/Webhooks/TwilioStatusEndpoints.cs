using Microsoft.Extensions.Options;
using SmsMcp.Core.Providers.Twilio;
using SmsMcp.Server.Mcp;

namespace SmsMcp.Server.Webhooks;

public static class TwilioStatusEndpoints
{
    public const string Path = "/twilio/status";

    /// <summary>Largest status callback body read; Twilio's are a few hundred bytes.</summary>
    private const int MaxBodyBytes = 64 * 1024;

    /// <summary>Options for the status webhook (<c>Webhooks</c>), validated at start.</summary>
    public static IServiceCollection AddTwilioWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>()
            .Bind(configuration.GetSection(WebhookOptions.SectionName))
            .Validate(o => o.PublicBaseUrl is null or "" || IsValidBaseUrl(o.PublicBaseUrl),
                "Webhooks:PublicBaseUrl must be an absolute https URL without query or fragment (http only on a loopback host).")
            .ValidateOnStart();
        return services;
    }

    /// <summary>
    /// Status callbacks. The signature is checked (403 when it fails) but no state changes yet: a valid callback
    /// still answers 404 until the status walk lands. Without Twilio and its auth token configured: 404.
    /// </summary>
    public static IEndpointRouteBuilder MapTwilioStatus(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Path, HandleAsync);
        return endpoints;
    }

    private static async Task<IResult> HandleAsync(HttpContext context, IOptions<TwilioOptions> twilio, IOptions<WebhookOptions> webhooks, CancellationToken cancellationToken)
    {
        // Twilio signs callbacks with the account's auth token, also when messages are sent with an API key.
        if (twilio.Value.AuthToken is not { Length: > 0 } authToken)
        {
            return TypedResults.NotFound();
        }

        var request = context.Request;
        var url = webhooks.Value.PublicUrl(request.Scheme, request.Host.Value ?? "", request.PathBase, request.Path, request.QueryString.Value ?? "");
        var signature = request.Headers[TwilioSignatureValidator.HeaderName].ToString();
        bool valid;
        if (request.Query.ContainsKey("bodySHA256"))
        {
            var body = await RequestBody.ReadAsync(request, MaxBodyBytes, cancellationToken);
            valid = body is not null && TwilioSignatureValidator.IsValidWithBody(authToken, signature, url, body);
        }
        else if (request.HasFormContentType && (request.ContentLength ?? 0) <= MaxBodyBytes)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            valid = TwilioSignatureValidator.IsValid(authToken, signature, url,
                form.SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string>(f.Key, v ?? ""))));
        }
        else
        {
            valid = false;
        }

        return valid ? TypedResults.NotFound() : TypedResults.StatusCode(StatusCodes.Status403Forbidden);
    }

    private static bool IsValidBaseUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
        && uri.Query.Length == 0 && uri.Fragment.Length == 0;
}
