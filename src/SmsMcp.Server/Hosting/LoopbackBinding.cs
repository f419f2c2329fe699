using System.Net;

namespace SmsMcp.Server.Hosting;

/// <summary>
/// Where the standalone server listens: 127.0.0.1:7071 unless <c>--urls</c> / <c>ASPNETCORE_URLS</c> say otherwise
/// (a container publishes its own address that way). Loopback by default: a local server is for local clients.
/// </summary>
public static class LoopbackBinding
{
    public const int StandalonePort = 7071;

    public static WebApplicationBuilder UseLoopbackBinding(this WebApplicationBuilder builder)
    {
        // No "Server: Kestrel" banner: an answer should not tell a prober what runs behind it (smsmcp verify checks).
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, StandalonePort));
        }

        return builder;
    }
}
