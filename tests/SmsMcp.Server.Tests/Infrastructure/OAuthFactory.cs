using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace SmsMcp.Server.Tests.Infrastructure;

/// <summary>
/// The real app with the OAuth resource server on, trusting a <see cref="LoopbackOpenIdProvider"/> started for the class:
/// the production JwtBearer wiring, except that its backchannel trusts the provider's per-run certificate (pinned).
/// Principals: <see cref="SenderObjectId"/> and <see cref="ReaderObjectId"/> map to the dev caller (the scopes decide
/// what each may do); an API-key caller <c>reader</c> has read-only access.
/// </summary>
public class OAuthFactory : SmsMcpFactory, IAsyncLifetime
{
    public const string Resource = "http://localhost/mcp";
    public const string SenderObjectId = OAuthTestSettings.SenderObjectId;
    public const string ReaderObjectId = OAuthTestSettings.ReaderObjectId;
    public const string UnmappedObjectId = "33333333-3333-4333-8333-333333333333";
    public const string ReadScope = OAuthTestSettings.ReadScope;
    public const string SendScope = OAuthTestSettings.SendScope;
    public const string ReaderKey = OAuthTestSettings.ReaderKey;

    public LoopbackOpenIdProvider Provider { get; private set; } = null!;

    /// <summary>The resource identifier; a subclass serving on a real port changes it.</summary>
    protected virtual string ResourceUrl => Resource;

    protected override IEnumerable<KeyValuePair<string, string>> Settings => OAuthTestSettings.For(Provider.Issuer, ResourceUrl);

    public virtual async Task InitializeAsync() => Provider = await LoopbackOpenIdProvider.StartAsync();

    async Task IAsyncLifetime.DisposeAsync() => await Provider.DisposeAsync();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
            services.ConfigureAll<JwtBearerOptions>(options => options.BackchannelHttpHandler = Provider.BackchannelHandler()));
    }
}
