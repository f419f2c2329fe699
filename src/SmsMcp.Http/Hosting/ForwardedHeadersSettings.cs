namespace SmsMcp.Http.Hosting;

/// <summary>
/// Whether <c>X-Forwarded-Host</c> and <c>X-Forwarded-Proto</c> replace the request's host and scheme (configuration
/// section <c>ForwardedHeaders</c>), in both hosts. Off by default: any client can send these headers, and the host
/// decides which Host passes the allow-list and which URL a Twilio signature covers. The Functions worker would
/// otherwise honour them from any loopback peer; this setting overrides that too.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    public const string SectionName = "ForwardedHeaders";

    /// <summary>Honour the two headers from <see cref="KnownProxies"/> and <see cref="KnownNetworks"/>. Default: false.</summary>
    public bool Enabled { get; set; }

    /// <summary>IP addresses of the proxies whose forwarded headers are honoured (only these: no built-in loopback default). Default: none.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks (CIDR, e.g. <c>10.0.0.0/8</c>) of such proxies. Default: none.</summary>
    public List<string> KnownNetworks { get; set; } = [];
}
