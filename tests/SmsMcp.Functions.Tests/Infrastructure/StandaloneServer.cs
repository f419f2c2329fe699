using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace SmsMcp.Functions.Tests.Infrastructure;

/// <summary>The standalone server (src/SmsMcp.Server) in process, with the settings the worker gets.</summary>
public sealed class StandaloneServer : WebApplicationFactory<Program>
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("smsmcp-standalone-").FullName;
    private readonly IReadOnlyList<KeyValuePair<string, string>> _settings;
    private readonly Action<IServiceCollection>? _configure;

    public StandaloneServer()
        : this([], null)
    {
    }

    /// <param name="settings">Settings on top of the common ones (the worker gets the same).</param>
    /// <param name="configure">Replacements registered after the app's own (the worker gets the same).</param>
    internal StandaloneServer(IReadOnlyList<KeyValuePair<string, string>> settings, Action<IServiceCollection>? configure)
    {
        _settings = settings;
        _configure = configure;
    }

    public async Task<TestResponse> SendAsync(TestRequest request)
    {
        using var message = request.ToMessage();
        using var response = await CreateClient().SendAsync(message);
        return await TestResponse.FromAsync(response);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in HostSettings.Common(_dataDirectory).Concat(_settings))
        {
            builder.UseSetting(key, value);
        }

        if (_configure is not null)
        {
            builder.ConfigureTestServices(_configure);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            try
            {
                Directory.Delete(_dataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
