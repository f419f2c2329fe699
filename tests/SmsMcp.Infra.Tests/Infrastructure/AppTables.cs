using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SmsMcp.Core.Hosting;
using SmsMcp.Core.Storage;
using SmsMcp.Http;

namespace SmsMcp.Infra.Tests.Infrastructure;

/// <summary>The tables the app uses: every <see cref="TableDeclaration"/> the hosts' composition registers (and so creates at start).</summary>
internal static class AppTables
{
    public static IEnumerable<string> Names() =>
        new ServiceCollection()
            .AddSmsMcpHttp(new ConfigurationBuilder().Build(), SmsMcpEnvironment.Create(isDevelopment: false, Path.GetTempPath()))
            .Select(d => d.ImplementationInstance)
            .OfType<TableDeclaration>()
            .Select(t => t.Name)
            .Distinct();
}
