using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SmsMcp.Http.Auth;

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
    public const string SenderObjectId = "11111111-1111-4111-8111-111111111111";
    public const string ReaderObjectId = "22222222-2222-4222-8222-222222222222";
    public const string UnmappedObjectId = "33333333-3333-4333-8333-333333333333";
    public const string ReadScope = "SmsMcp.Read";
    public const string SendScope = "SmsMcp.Send";
    public const string ReaderKey = "reader-key-0123456789abcdefghijklmnopq";

    public LoopbackOpenIdProvider Provider { get; private set; } = null!;

    /// <summary>The resource identifier; a subclass serving on a real port changes it.</summary>
    protected virtual string ResourceUrl => Resource;

    protected override IEnumerable<KeyValuePair<string, string>> Settings => OAuthSettings(Provider.Issuer, ResourceUrl);

    /// <summary>The settings both hosts get in the OAuth tests.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> OAuthSettings(string issuer, string resource)
    {
        var readerHash = ApiKeyHash.Create(ReaderKey);
        return
        [
            new("Auth:OAuth:Enabled", "true"),
            new("Auth:OAuth:Resource", resource),
            new("Auth:OAuth:Issuers:0:Issuer", issuer),
            new("Auth:OAuth:Principals:0:Issuer", issuer),
            new("Auth:OAuth:Principals:0:Subject", SenderObjectId),
            new("Auth:OAuth:Principals:0:CallerId", "dev"),
            new("Auth:OAuth:Principals:1:Issuer", issuer),
            new("Auth:OAuth:Principals:1:Subject", ReaderObjectId),
            new("Auth:OAuth:Principals:1:CallerId", "dev"),
            new("Auth:Callers:0:Id", "reader"),
            new("Auth:Callers:0:KeySalt", readerHash.SaltBase64),
            new("Auth:Callers:0:KeyHash", readerHash.HashBase64),
            new("Auth:Callers:0:Access", "Read"),
        ];
    }

    public virtual async Task InitializeAsync() => Provider = await LoopbackOpenIdProvider.StartAsync();

    async Task IAsyncLifetime.DisposeAsync() => await Provider.DisposeAsync();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
            services.ConfigureAll<JwtBearerOptions>(options => options.BackchannelHttpHandler = Provider.BackchannelHandler()));
    }
}
