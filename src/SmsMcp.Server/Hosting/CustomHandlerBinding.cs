using System.Globalization;
using System.Net;

namespace SmsMcp.Server.Hosting;

/// <summary>
/// Where the server listens. As an Azure Functions custom handler the host passes the port in
/// <c>FUNCTIONS_CUSTOMHANDLER_PORT</c>; standalone it is 7071. Always 127.0.0.1: the Functions host (or a
/// local client) is the only thing that should reach the process. <c>--urls</c> / <c>ASPNETCORE_URLS</c> override.
/// </summary>
public static class CustomHandlerBinding
{
    public const string PortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";
    public const int StandalonePort = 7071;

    public static WebApplicationBuilder UseCustomHandlerBinding(this WebApplicationBuilder builder)
    {
        if (!string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            return builder;
        }

        var port = ResolvePort(builder.Configuration[PortVariable]);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        return builder;
    }

    public static int ResolvePort(string? configured)
    {
        if (string.IsNullOrEmpty(configured))
        {
            return StandalonePort;
        }

        return int.TryParse(configured, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port
            : throw new InvalidOperationException($"{PortVariable} must be a TCP port number (1-65535).");
    }
}
