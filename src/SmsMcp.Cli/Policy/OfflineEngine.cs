using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SmsMcp.Core.Callers;
using SmsMcp.Core.Hosting;
using SmsMcp.Core.Outcomes;
using SmsMcp.Core.Policy;
using SmsMcp.Core.Sending;
using SmsMcp.Core.Storage;
using SmsMcp.Infrastructure.Hosting;
using SmsMcp.Infrastructure.Providers;
using SmsMcp.Infrastructure.Storage;

namespace SmsMcp.Cli.Policy;

/// <summary>
/// The server's own send walk composed exactly as the hosts compose it (<c>AddSmsMcpCore</c>), on a throwaway SQLite
/// store and the sandbox provider, with the policy under test. Cases go through <see cref="SendPipeline.PreviewAsync"/>,
/// the path <c>preview_sms</c> takes: every rule, the kill switch and quotas, and nothing is ever sent.
/// </summary>
internal sealed class OfflineEngine : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly string _directory;
    private readonly SendPipeline _pipeline;

    private OfflineEngine(ServiceProvider services, string directory)
    {
        _services = services;
        _directory = directory;
        _pipeline = services.GetRequiredService<SendPipeline>();
    }

    public static async Task<OfflineEngine> StartAsync(string policyPath, TimeProvider time, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("smsmcp-policy-test-").FullName;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{PolicyOptions.SectionName}:Path"] = policyPath,
            [$"{StorageOptions.SectionName}:Provider"] = StorageOptions.SqliteProvider,
            [$"{StorageOptions.SectionName}:SqlitePath"] = Path.Combine(directory, "smsmcp.db"),
            [$"{SmsProviderOptions.SectionName}:Provider"] = SmsProviderOptions.Sandbox,
        }).Build();

        // Development only for what it generates (the pseudonymisation key, in the throwaway directory); every rule that
        // decides a send is the policy's, the same in every environment.
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(time)
            .AddSmsMcpCore(configuration, new SmsMcpEnvironment(IsDevelopment: true, directory))
            .BuildServiceProvider();
        try
        {
            foreach (var initializer in services.GetServices<IHostedService>().OfType<TableInitializer>())
            {
                await initializer.StartAsync(cancellationToken);
            }

            return new OfflineEngine(services, directory);
        }
        catch
        {
            await services.DisposeAsync();
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    public Task<SendEvaluation> PreviewAsync(string caller, string? to, string? body, CancellationToken cancellationToken) =>
        _pipeline.PreviewAsync(new CallerIdentity(caller), to, body, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may hold the file a moment longer; a temp folder left behind is harmless.
        }
    }
}
