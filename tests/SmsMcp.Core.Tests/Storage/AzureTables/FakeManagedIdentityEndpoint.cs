using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace SmsMcp.Core.Tests.Storage.AzureTables;

/// <summary>
/// A loopback fake of the App Service managed-identity endpoint (IDENTITY_ENDPOINT / IDENTITY_HEADER, api-version
/// 2019-08-01): <c>GET ?resource=…&amp;api-version=2019-08-01</c> with <c>X-IDENTITY-HEADER</c> → a JSON token response.
/// The token is an unsigned-in-spirit JWT with the audience asked for and an Entra ID issuer, which is all Azurite's
/// <c>--oauth basic</c> checks. Requests without the right header get 401, as on App Service.
/// </summary>
internal sealed class FakeManagedIdentityEndpoint : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Task _loop;

    private FakeManagedIdentityEndpoint(HttpListener listener, string endpoint)
    {
        _listener = listener;
        Endpoint = endpoint;
        _loop = Task.Run(ServeAsync);
    }

    /// <summary>The value for IDENTITY_ENDPOINT.</summary>
    public string Endpoint { get; }

    /// <summary>The value for IDENTITY_HEADER: a per-instance secret the credential must echo.</summary>
    public string Secret { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Every request as (resource, api-version, whether X-IDENTITY-HEADER matched).</summary>
    public ConcurrentQueue<(string? Resource, string? ApiVersion, bool HeaderMatched)> Requests { get; } = new();

    public static FakeManagedIdentityEndpoint Start()
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = LoopbackPort.Free();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new FakeManagedIdentityEndpoint(listener, $"http://127.0.0.1:{port}/msi/token");
            }
            catch (HttpListenerException) when (attempt < 3)
            {
                // The port was taken between finding it free and binding it.
                listener.Close();
            }
        }
    }

    /// <summary>A JWT whose claims satisfy Azurite's basic OAuth checks for <paramref name="audience"/>.</summary>
    public static string Jwt(string audience, DateTimeOffset now)
    {
        static string Segment(object value) => Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(value)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var header = Segment(new { alg = "RS256", typ = "JWT" });
        var payload = Segment(new
        {
            aud = audience,
            iss = "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/",
            iat = now.AddMinutes(-1).ToUnixTimeSeconds(),
            nbf = now.AddMinutes(-1).ToUnixTimeSeconds(),
            exp = now.AddHours(1).ToUnixTimeSeconds(),
            oid = "00000000-0000-0000-0000-000000000001",
            tid = "72f988bf-86f1-41af-91ab-2d7cd011db47",
        });
        return $"{header}.{payload}.c2lnbmF0dXJl";
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            try
            {
                await AnswerAsync(context);
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
                // The client hung up before the answer was written (a caller's timeout or cancellation fired): that
                // is the client's business, and the endpoint keeps serving the next request as the real one does.
            }
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var resource = context.Request.QueryString["resource"];
        var apiVersion = context.Request.QueryString["api-version"];
        var headerMatched = context.Request.Headers["X-IDENTITY-HEADER"] == Secret;
        Requests.Enqueue((resource, apiVersion, headerMatched));

        using var response = context.Response;
        if (!headerMatched || resource is null)
        {
            response.StatusCode = 401;
            return;
        }

        var now = DateTimeOffset.UtcNow;
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["access_token"] = Jwt(resource, now),
            ["expires_on"] = now.AddHours(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["resource"] = resource,
            ["token_type"] = "Bearer",
            ["client_id"] = "00000000-0000-0000-0000-000000000002",
        });
        response.ContentType = "application/json";
        response.ContentEncoding = Encoding.UTF8;
        await response.OutputStream.WriteAsync(body);
    }
}
