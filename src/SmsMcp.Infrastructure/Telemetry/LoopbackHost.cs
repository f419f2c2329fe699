namespace SmsMcp.Infrastructure.Telemetry;

/// <summary>
/// Whether a Host header names this machine (<c>localhost</c>, <c>127.0.0.1</c> or <c>[::1]</c>, with or without a port):
/// the one value of a client-sent host that logs and telemetry may show as it is.
/// </summary>
public static class LoopbackHost
{
    public static bool IsLoopback(string host)
    {
        var name = host.StartsWith('[') ? host[..(host.IndexOf(']') + 1)] : host.Split(':')[0];
        var port = host[name.Length..];
        return name is "localhost" or "127.0.0.1" or "[::1]"
            && (port.Length == 0 || (port[0] == ':' && port.Length is > 1 and <= 6 && port[1..].All(char.IsAsciiDigit)));
    }
}
