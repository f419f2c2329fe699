using System.Net;
using System.Net.Sockets;

namespace SmsMcp.Testing;

public static class LoopbackPort
{
    /// <summary>A 127.0.0.1 port that was free a moment ago (and stays closed unless someone binds it).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
