using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace SmsMcp.Http.Hosting;

/// <summary>
/// Turns <see cref="ForwardedHeadersSettings"/> into the framework's <see cref="ForwardedHeadersOptions"/>. Applied as a
/// post-configuration, so it wins over any default a host registers (the Functions worker enables every forwarded header
/// from loopback peers). Enabled without any proxy or network is refused at start: it would honour nobody, or — with the
/// framework's defaults — everybody on loopback.
/// </summary>
internal sealed class ForwardedHeadersSetup(IOptions<ForwardedHeadersSettings> settings) : IPostConfigureOptions<ForwardedHeadersOptions>
{
    public void PostConfigure(string? name, ForwardedHeadersOptions options)
    {
        var value = settings.Value;
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        if (!value.Enabled)
        {
            options.ForwardedHeaders = ForwardedHeaders.None;
            return;
        }

        options.ForwardedHeaders = ForwardedHeaders.XForwardedHost | ForwardedHeaders.XForwardedProto;
        foreach (var proxy in value.KnownProxies)
        {
            options.KnownProxies.Add(IPAddress.Parse(proxy));
        }

        foreach (var network in value.KnownNetworks)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        }
    }

    public static bool IsValid(ForwardedHeadersSettings settings) =>
        (!settings.Enabled || settings.KnownProxies.Count + settings.KnownNetworks.Count > 0)
        && settings.KnownProxies.All(p => IPAddress.TryParse(p, out _))
        && settings.KnownNetworks.All(n => System.Net.IPNetwork.TryParse(n, out _));
}
