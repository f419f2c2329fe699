using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using SmsMcp.Core.Delivery;
using SmsMcp.Core.Storage;
using SmsMcp.Http.Mcp;
using SmsMcp.Infrastructure.Twilio;

namespace SmsMcp.Http.Webhooks;

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
            .Validate(o => o.PublicBaseUrl is null or "" || TwilioOptionsValidator.IsValidBaseUrl(o.PublicBaseUrl),
                "Webhooks:PublicBaseUrl must be an absolute https URL without query or fragment (http only on a loopback host).")
            .ValidateOnStart();
        return services;
    }

    /// <summary>
    /// Status callbacks (the status walk, <see cref="DeliveryStatusService"/>): 403 when the signature fails (with a vault
    /// token: also with the vault's current token, re-read at most once per <see cref="TwilioVaultSecrets.RetryInterval"/>, <see cref="TwilioAuthTokenSource"/>), and for any
    /// body that cannot carry a valid one (not <c>application/x-www-form-urlencoded</c>, unless the URL signs a JSON body
    /// through <c>bodySHA256</c>); 413 when the body is over 64 KiB, however it is framed (Content-Length or chunked);
    /// 404 without an auth token (no Twilio, or none configured or in the vault), when a parameter (query or body) is
    /// repeated, or when the callback does not name one
    /// of our messages (no, unknown or malformed <c>mid</c>, or another Twilio message); 200 with an empty body when
    /// applied or already known; 503 when storage or the vault cannot answer, so Twilio retries. Nothing changes unless
    /// the answer is 200, and nothing an unsigned request sends can make it answer 500.
    /// </summary>
    public static IEndpointRouteBuilder MapTwilioStatus(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Path, HandleAsync);
        return endpoints;
    }

    private static async Task<IResult> HandleAsync(
        HttpContext context, IOptions<WebhookOptions> webhooks, DeliveryStatusService delivery, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(TwilioStatusEndpoints).FullName!);

        // Twilio signs callbacks with the account's auth token, also when messages are sent with an API key. Without
        // Twilio configured there is no token source at all.
        var tokens = context.RequestServices.GetService<TwilioAuthTokenSource>();
        string? authToken;
        try
        {
            authToken = tokens is null ? null : await tokens.GetAsync(cancellationToken);
        }
        catch (TwilioCredentialUnavailableException)
        {
            return TypedResults.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        if (authToken is null)
        {
            return TypedResults.NotFound();
        }

        var request = context.Request;
        var url = webhooks.Value.PublicUrl(request.Scheme, request.Host.Value ?? "", request.PathBase, request.Path, request.QueryString.Value ?? "");
        var signedJson = request.Query.ContainsKey("bodySHA256");
        if (!signedJson && !IsUrlEncodedForm(request.ContentType))
        {
            return TypedResults.StatusCode(StatusCodes.Status403Forbidden);
        }

        byte[]? body;
        try
        {
            body = await RequestBody.ReadAsync(request, MaxBodyBytes, cancellationToken);
        }
        catch (BadHttpRequestException e)
        {
            // Malformed framing or a server limit: the server's own 4xx, never a 500.
            return TypedResults.StatusCode(e.StatusCode);
        }

        if (body is null)
        {
            return TypedResults.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        var parameters = SignedParameters(request, authToken, url, body, signedJson);
        if (parameters is null && await tokens!.RefreshAfterRejectedSignatureAsync(authToken, cancellationToken) is { } rotated)
        {
            // The vault may hold a newer token than the cache (a rotation): checked once more with it. Rate-limited by the source.
            parameters = SignedParameters(request, rotated, url, body, signedJson);
        }

        if (parameters is null)
        {
            return TypedResults.StatusCode(StatusCodes.Status403Forbidden);
        }

        var accountSid = context.RequestServices.GetRequiredService<IOptions<TwilioOptions>>().Value.AccountSid;
        if (request.Query.Any(q => q.Value.Count > 1) || TwilioStatusCallback.Read(request.Query[TwilioApi.StatusCallbackMessageIdParameter], parameters, accountSid) is not { } report)
        {
            logger.LogWarning("Signed Twilio status callback without a well-formed message id of ours; ignored.");
            return TypedResults.NotFound();
        }

        try
        {
            return await delivery.ApplyAsync(report, DeliveryStatusService.CallbackTool, cancellationToken) switch
            {
                DeliveryUpdateOutcome.Applied or DeliveryUpdateOutcome.Duplicate or DeliveryUpdateOutcome.Ignored => TypedResults.Ok(),
                _ => TypedResults.NotFound(),
            };
        }
        catch (StorageException e)
        {
            logger.LogError(e, "Status callback for message {MessageId} could not be applied; answering 503 so Twilio retries.", report.MessageId);
            return TypedResults.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }
    }

    /// <summary>The request's parameters when its signature is valid, else null (form body, or a JSON body signed through <c>bodySHA256</c>).</summary>
    private static KeyValuePair<string, string>[]? SignedParameters(HttpRequest request, string authToken, string url, byte[] body, bool signedJson)
    {
        var signature = request.Headers[TwilioSignatureValidator.HeaderName].ToString();
        if (signedJson)
        {
            return TwilioSignatureValidator.IsValidWithBody(authToken, signature, url, body) ? JsonParameters(body) : null;
        }

        // Parsed by us, not by ReadFormAsync: its limits (1024 fields, key length) throw, and an exception here is a 500
        // for a request nobody has authenticated yet.
        var parameters = UrlEncodedForm.Parse(body);
        return TwilioSignatureValidator.IsValid(authToken, signature, url, parameters) ? parameters : null;
    }

    private static bool IsUrlEncodedForm(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var type)
        && type.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);

    /// <summary>The top-level string and number members of a JSON object body; none for anything else.</summary>
    private static KeyValuePair<string, string>[] JsonParameters(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind != JsonValueKind.Object
                ? []
                : [.. document.RootElement.EnumerateObject()
                    .Where(p => p.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                    .Select(p => new KeyValuePair<string, string>(p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText()))];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
