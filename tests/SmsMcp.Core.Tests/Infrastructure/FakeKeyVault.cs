using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SmsMcp.Core.Tests.Infrastructure;

/// <summary>
/// A loopback HTTPS fake of Key Vault's secret read, <c>GET /secrets/{name}/{version}?api-version=…</c> → <c>{"value","id"}</c>,
/// with the challenge the real <c>SecretClient</c> expects: a request without a bearer token gets 401 and
/// <c>WWW-Authenticate: Bearer authorization="…", resource="https://vault.azure.net"</c>; a token is accepted only when its
/// audience is that resource. Secrets can be rotated and the vault taken down (503) while it runs.
/// </summary>
public sealed class FakeKeyVault : IAsyncDisposable
{
    public const string Resource = "https://vault.azure.net";

    private const string Version = "0123456789abcdef0123456789abcdef";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _secrets = new(StringComparer.OrdinalIgnoreCase);
    private int _reads;
    private int _challenges;
    private volatile bool _down;

    private FakeKeyVault(WebApplication app) => _app = app;

    public Uri VaultUri { get; private set; } = null!;

    /// <summary>Secret reads answered with a value (authenticated, found).</summary>
    public int Reads => _reads;

    /// <summary>Requests answered with the 401 bearer challenge.</summary>
    public int Challenges => _challenges;

    /// <summary>Every request's secret name, in order, whatever the answer.</summary>
    public ConcurrentQueue<string> Requested { get; } = new();

    /// <summary>While true every request gets 503, as a vault that cannot serve.</summary>
    public bool Down
    {
        get => _down;
        set => _down = value;
    }

    public static async Task<FakeKeyVault> StartAsync(X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        var vault = new FakeKeyVault(app);
        app.Run(vault.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        vault.VaultUri = new Uri(address.EndsWith('/') ? address : address + "/");
        return vault;
    }

    public void SetSecret(string name, string value) => _secrets[name] = value;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var segments = (context.Request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        var name = segments is ["secrets", var n, ..] ? n : "";
        Requested.Enqueue(name);
        var response = context.Response;
        if (_down)
        {
            response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        var authorization = context.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _challenges);
            response.StatusCode = StatusCodes.Status401Unauthorized;
            response.Headers.WWWAuthenticate =
                $"Bearer authorization=\"https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47\", resource=\"{Resource}\"";
            return;
        }

        if (Audience(authorization["Bearer ".Length..]) != Resource)
        {
            await WriteAsync(response, StatusCodes.Status403Forbidden, new { error = new { code = "Forbidden", message = "Wrong audience." } });
            return;
        }

        if (context.Request.Method != HttpMethods.Get || !_secrets.TryGetValue(name, out var value))
        {
            await WriteAsync(response, StatusCodes.Status404NotFound, new { error = new { code = "SecretNotFound", message = "No such secret." } });
            return;
        }

        Interlocked.Increment(ref _reads);
        await WriteAsync(response, StatusCodes.Status200OK, new
        {
            value,
            id = new Uri(VaultUri, $"secrets/{name}/{Version}").ToString(),
            attributes = new { enabled = true },
        });
    }

    private static string? Audience(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        var payload = parts[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        using var document = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
        return document.RootElement.TryGetProperty("aud", out var aud) ? aud.GetString() : null;
    }

    private static async Task WriteAsync(HttpResponse response, int status, object body)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        await response.WriteAsync(JsonSerializer.Serialize(body), response.HttpContext.RequestAborted);
    }
}
