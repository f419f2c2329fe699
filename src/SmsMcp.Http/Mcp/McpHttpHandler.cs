using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using SmsMcp.Http.Auth;

namespace SmsMcp.Http.Mcp;

/// <summary>
/// POST /mcp, stateless streamable HTTP: guards → authentication → bounded body → one JSON-RPC message →
/// a fresh <see cref="McpServer"/> on a stateless <see cref="StreamableHttpServerTransport"/> for this request
/// only. Nothing survives the request, so any instance can serve any request.
/// </summary>
public sealed class McpHttpHandler(
    McpRequestGuard guard,
    CallerAuthenticator authenticator,
    McpServerOptionsFactory optionsFactory,
    IOptions<McpHttpOptions> options,
    ILoggerFactory loggerFactory)
{
    public async Task HandlePostAsync(HttpContext context)
    {
        if (!await guard.AdmitAsync(context))
        {
            return;
        }

        var authentication = authenticator.Authenticate(context.Request);
        if (authentication.Principal is null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"smsmcp\"";
            await JsonRpcErrorResponse.WriteAsync(context, StatusCodes.Status401Unauthorized, McpErrorCode.InvalidRequest, authentication.Failure!);
            return;
        }

        if (!McpRequestGuard.IsJsonContent(context.Request))
        {
            await JsonRpcErrorResponse.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, McpErrorCode.InvalidRequest,
                "The request body must be JSON: send Content-Type: application/json.");
            return;
        }

        if (!McpRequestGuard.AcceptsEventStream(context.Request))
        {
            await JsonRpcErrorResponse.WriteAsync(context, StatusCodes.Status406NotAcceptable, McpErrorCode.InvalidRequest,
                "The client must accept both application/json and text/event-stream.");
            return;
        }

        var body = await RequestBody.ReadAsync(context.Request, options.Value.MaxRequestBodyBytes, context.RequestAborted);
        if (body is null)
        {
            await JsonRpcErrorResponse.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, McpErrorCode.InvalidRequest,
                $"The request body is larger than {options.Value.MaxRequestBodyBytes} bytes.");
            return;
        }

        var (message, error) = JsonRpcMessageReader.Read(body);
        if (message is null)
        {
            await JsonRpcErrorResponse.WriteAsync(context, StatusCodes.Status400BadRequest, error!.Value.Code, error.Value.Message);
            return;
        }

        message.Context = new JsonRpcMessageContext { User = authentication.Principal };
        await DispatchAsync(context, message, NegotiateVersion(context.Request, message));
    }

    /// <summary>
    /// initialize: the requested revision when we speak it, else our latest (the client then decides).
    /// Later requests: the revision in their header (already checked by the guard), else our latest.
    /// </summary>
    private static string NegotiateVersion(HttpRequest request, JsonRpcMessage message)
    {
        if (message is JsonRpcRequest { Method: RequestMethods.Initialize } initialize
            && initialize.Params is JsonObject parameters
            && parameters["protocolVersion"]?.GetValueKind() == JsonValueKind.String
            && McpProtocol.Supported.Contains(parameters["protocolVersion"]!.GetValue<string>()))
        {
            return parameters["protocolVersion"]!.GetValue<string>();
        }

        return request.Headers.TryGetValue(McpProtocol.VersionHeader, out var header) && McpProtocol.Supported.Contains(header.ToString())
            ? header.ToString()
            : McpProtocol.Latest;
    }

    private async Task DispatchAsync(HttpContext context, JsonRpcMessage message, string protocolVersion)
    {
        var transport = new StreamableHttpServerTransport(loggerFactory) { Stateless = true };
        await using (transport.ConfigureAwait(false))
        {
            var server = McpServer.Create(transport, optionsFactory.Create(protocolVersion), loggerFactory, context.RequestServices);
            await using (server.ConfigureAwait(false))
            {
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
                var running = server.RunAsync(stop.Token);
                if (message is JsonRpcRequest)
                {
                    context.Response.ContentType = "text/event-stream";
                    context.Response.Headers.CacheControl = "no-cache";
                }

                var wrote = await transport.HandlePostRequestAsync(message, context.Response.Body, context.RequestAborted);
                if (!wrote && !context.Response.HasStarted)
                {
                    // Notifications and responses: accepted, nothing to say (streamable HTTP spec).
                    context.Response.ContentType = null;
                    context.Response.Headers.CacheControl = default;
                    context.Response.StatusCode = StatusCodes.Status202Accepted;
                }

                await stop.CancelAsync();
                try
                {
                    await running;
                }
                catch (OperationCanceledException)
                {
                }
            }
        }
    }
}
