using Microsoft.Extensions.DependencyInjection;

namespace SmsMcp.Core.Storage;

public static class TableServiceCollectionExtensions
{
    /// <summary>Declares a table for <see cref="TableInitializer"/> to create at start; declaring one twice is harmless.</summary>
    public static IServiceCollection AddTable(this IServiceCollection services, string name) =>
        services.AddSingleton(new TableDeclaration(name));
}
