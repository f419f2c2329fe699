using System.Runtime.CompilerServices;
using Azure.Core;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Storage;
using SmsMcp.Infrastructure.Hosting;

namespace SmsMcp.Infrastructure.Storage.AuditHeads;

/// <summary>The head log chosen by the <c>AuditHeads</c> section, for the server, the timer functions and the CLI alike.</summary>
public static class AuditHeadLogs
{
    /// <summary>
    /// <see cref="IAuditHeadLog"/> (absent — the factory answers null — when none is configured) and
    /// <see cref="AuditHeadPublisher"/> (likewise); both read by the <c>audit-heads</c> job and the verifier.
    /// </summary>
    public static IServiceCollection AddAuditHeads(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuditHeadLogOptions>()
            .Bind(configuration.GetSection(AuditHeadLogOptions.SectionName))
            .Validate(o => Validate(o).Count == 0, "AuditHeads: set at most one of BlobContainerUri (https), ConnectionString and Directory; a connection string must be usable.")
            .ValidateOnStart();
        services.AddSingleton(sp => Create(sp.GetRequiredService<IOptions<AuditHeadLogOptions>>().Value, sp.GetRequiredService<IOptions<StorageOptions>>().Value)!);
        services.AddSingleton(sp => sp.GetService<IAuditHeadLog>() is { } log
            ? new AuditHeadPublisher(sp.GetRequiredService<ITableStore>(), sp.GetRequiredService<AuditSealer>(), log, sp.GetRequiredService<TimeProvider>())
            : null!);
        return services;
    }

    /// <summary>What is wrong with the settings, each naming its key (never a connection string's content).</summary>
    public static IReadOnlyList<string> Validate(AuditHeadLogOptions options)
    {
        var failures = new List<string>();
        var set = new[] { options.BlobContainerUri is not null, !string.IsNullOrWhiteSpace(options.ConnectionString), !string.IsNullOrWhiteSpace(options.Directory) };
        if (set.Count(s => s) > 1)
        {
            failures.Add("AuditHeads: set at most one of BlobContainerUri, ConnectionString and Directory.");
        }

        if (options.BlobContainerUri is { } uri && !(uri.IsAbsoluteUri && uri.Scheme == Uri.UriSchemeHttps && uri.AbsolutePath.Trim('/').Length > 0))
        {
            failures.Add("AuditHeads:BlobContainerUri must be an absolute https URI of a container, such as https://{account}.blob.core.windows.net/audit-heads.");
        }

        if (!string.IsNullOrWhiteSpace(options.ConnectionString) && !IsUsable(options.ConnectionString, options.ContainerName))
        {
            failures.Add("AuditHeads:ConnectionString is not usable, or AuditHeads:ContainerName is not a container name.");
        }

        return failures;
    }

    /// <summary>
    /// The configured head log; null when none is configured (Azure Tables without <c>AuditHeads</c> settings). With the
    /// SQLite store and no setting, the local log in <c>audit-heads</c> beside the database.
    /// </summary>
    public static IAuditHeadLog? Create(AuditHeadLogOptions options, StorageOptions storage)
    {
        if (options.BlobContainerUri is not null || !string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return CreateBlobLog(options, storage);
        }

        if (!string.IsNullOrWhiteSpace(options.Directory))
        {
            return new FileAuditHeadLog(options.Directory);
        }

        return string.Equals(storage.Provider, StorageOptions.SqliteProvider, StringComparison.OrdinalIgnoreCase) && storage.SqlitePath is { } database
            ? new FileAuditHeadLog(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(database))!, AuditHeadLogOptions.DefaultDirectoryName))
            : null;
    }

    /// <summary>
    /// The append-blob log. Its own method, never inlined: compiling it loads Azure.Storage.Blobs, Azure.Core and
    /// Azure.Identity, which a server keeping its heads in a directory never needs.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static IAuditHeadLog CreateBlobLog(AuditHeadLogOptions options, StorageOptions storage) =>
        options.BlobContainerUri is { } uri
            ? new AppendBlobAuditHeadLog(new BlobContainerClient(uri, AzureCredentials.Create(storage.ManagedIdentityClientId), ClientOptions()))
            : new AppendBlobAuditHeadLog(new BlobContainerClient(options.ConnectionString, options.ContainerName, ClientOptions()));

    /// <summary>A head log on a container reached with an explicit credential (the CLI's choice of identity).</summary>
    public static IAuditHeadLog Create(Uri containerUri, TokenCredential credential) =>
        new AppendBlobAuditHeadLog(new BlobContainerClient(containerUri, credential, ClientOptions()));

    // Logging and tracing off (they record request URIs), few short retries: a publication that fails is retried by the next period.
    private static BlobClientOptions ClientOptions()
    {
        var options = new BlobClientOptions();
        options.Diagnostics.IsLoggingEnabled = false;
        options.Diagnostics.IsDistributedTracingEnabled = false;
        options.Retry.MaxRetries = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        return options;
    }

    private static bool IsUsable(string connectionString, string containerName)
    {
        try
        {
            _ = new BlobContainerClient(connectionString, containerName);
            return true;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or UriFormatException)
        {
            return false;
        }
    }
}
