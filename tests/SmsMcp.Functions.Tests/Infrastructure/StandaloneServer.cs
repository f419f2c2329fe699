using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace SmsMcp.Functions.Tests.Infrastructure;

/// <summary>The standalone server (src/SmsMcp.Server) in process, with the settings the worker gets.</summary>
public sealed class StandaloneServer : WebApplicationFactory<Program>
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("smsmcp-standalone-").FullName;

    public async Task<TestResponse> SendAsync(TestRequest request)
    {
        using var message = request.ToMessage();
        using var response = await CreateClient().SendAsync(message);
        return await TestResponse.FromAsync(response);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in HostSettings.Common(_dataDirectory))
        {
            builder.UseSetting(key, value);
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
