using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SmsMcp.Cli.Output;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Hosting;
using SmsMcp.Core.Storage;
using SmsMcp.Infrastructure.Storage;
using SmsMcp.Infrastructure.Storage.AuditHeads;

namespace SmsMcp.Cli.Audit;

/// <summary>
/// Where the audit commands read: the server's own settings (<c>Storage:*</c>, <c>Audit:*</c>, <c>AuditHeads:*</c> from
/// a settings file and the environment, <c>Section__Key</c>), overridden by the command line. Connection strings and keys
/// are taken from settings or the environment only, never from arguments (a process list would show them).
/// </summary>
internal sealed class AuditTrailSource
{
    public Option<FileInfo> Settings { get; } = new("--settings") { Description = "A settings file (appsettings.json form) holding Storage:*, Audit:* and AuditHeads:*; the environment (Storage__Provider, ...) is read too." };

    public Option<FileInfo> Sqlite { get; } = new("--sqlite") { Description = "Read the SQLite database file (the server's smsmcp.db)." };

    public Option<Uri> TableEndpoint { get; } = HttpsUri("--table-endpoint", "Read Azure Table Storage at https://{account}.table.core.windows.net with DefaultAzureCredential (or Storage__ManagedIdentityClientId).");

    public Option<DirectoryInfo> HeadsDirectory { get; } = new("--heads-dir") { Description = "The local head log folder (default: audit-heads beside the SQLite database)." };

    public Option<Uri> HeadsContainer { get; } = HttpsUri("--heads-container", "The head log's blob container, https://{account}.blob.core.windows.net/audit-heads (same credential).");

    public Option<FileInfo> KeyFile { get; } = new("--key-file") { Description = "A file holding the base64 pseudonymization key the seal key derives from (default for SQLite: pseudonymization.key beside the database). Or set Audit__SealKey / Audit__PseudonymizationKey." };

    public void AddTo(Command command, bool withHeadsAndKey)
    {
        command.Options.Add(Settings);
        command.Options.Add(Sqlite);
        command.Options.Add(TableEndpoint);
        if (withHeadsAndKey)
        {
            command.Options.Add(HeadsDirectory);
            command.Options.Add(HeadsContainer);
            command.Options.Add(KeyFile);
        }
    }

    /// <summary>The store, described without secrets; a configuration problem is a usage failure naming the setting.</summary>
    public OpenedTrail Open(ParseResult parse)
    {
        var configuration = Configuration(parse);
        var services = new ServiceCollection().AddSmsStorage(configuration, SmsMcpEnvironment.Create(false, DataDirectory()));
        // Not disposed here: it owns the store, which lives as long as the command.
        var provider = services.BuildServiceProvider();
        StorageOptions options;
        try
        {
            options = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
        }
        catch (OptionsValidationException e)
        {
            throw new CommandFailure(ExitCodes.Usage, "configuration", string.Join(" ", e.Failures));
        }

        if (IsSqlite(options) && !File.Exists(options.SqlitePath))
        {
            // Opening would create an empty database: reading a trail must never write one.
            throw new CommandFailure(ExitCodes.Unavailable, "store_missing", $"No SQLite database at {options.SqlitePath}.");
        }

        var store = provider.GetRequiredService<ITableStore>();
        var description = IsSqlite(options)
            ? "sqlite:" + options.SqlitePath
            : options.TableServiceUri is { } uri ? "tables:" + uri.GetLeftPart(UriPartial.Path) : "tables:(connection string)";
        return new OpenedTrail(store, options, configuration, description);
    }

    /// <summary>The head log configured or defaulted (null when there is none), validated.</summary>
    public IAuditHeadLog? OpenHeads(OpenedTrail trail)
    {
        var heads = trail.Configuration.GetSection(AuditHeadLogOptions.SectionName).Get<AuditHeadLogOptions>() ?? new AuditHeadLogOptions();
        if (AuditHeadLogs.Validate(heads) is { Count: > 0 } failures)
        {
            throw new CommandFailure(ExitCodes.Usage, "configuration", string.Join(" ", failures));
        }

        return AuditHeadLogs.Create(heads, trail.Storage);
    }

    /// <summary>The seal key: Audit:SealKey, else derived from Audit:PseudonymizationKey, --key-file or the local key file.</summary>
    public AuditSealer Sealer(ParseResult parse, OpenedTrail trail)
    {
        var audit = trail.Configuration.GetSection(AuditOptions.SectionName).Get<AuditOptions>() ?? new AuditOptions();
        if (!string.IsNullOrWhiteSpace(audit.SealKey))
        {
            return new AuditSealer(Decode(audit.SealKey, "Audit:SealKey", AuditSealer.MinimumKeyBytes));
        }

        if (!string.IsNullOrWhiteSpace(audit.PseudonymizationKey))
        {
            return AuditSealer.FromPseudonymizationKey(Decode(audit.PseudonymizationKey, "Audit:PseudonymizationKey", Pseudonymizer.MinimumKeyBytes));
        }

        var file = parse.GetValue(KeyFile)?.FullName
            ?? (IsSqlite(trail.Storage) ? Path.Combine(Path.GetDirectoryName(trail.Storage.SqlitePath!)!, PseudonymizationKeySource.FileName) : null);
        if (file is not null && File.Exists(file))
        {
            return AuditSealer.FromPseudonymizationKey(Decode(File.ReadAllText(file), file, Pseudonymizer.MinimumKeyBytes));
        }

        throw new CommandFailure(ExitCodes.Usage, "no_seal_key",
            "No seal key: set Audit__SealKey (or Audit__PseudonymizationKey) in the environment or a --settings file, or pass --key-file.");
    }

    private IConfiguration Configuration(ParseResult parse)
    {
        var builder = new ConfigurationBuilder();
        if (parse.GetValue(Settings) is { } settings)
        {
            if (!settings.Exists)
            {
                throw new CommandFailure(ExitCodes.Unavailable, "file_unreadable", $"No settings file at {settings.FullName}.");
            }

            builder.AddJsonFile(settings.FullName, optional: false);
        }

        builder.AddEnvironmentVariables();
        var overrides = new Dictionary<string, string?>();
        if (parse.GetValue(Sqlite) is { } sqlite)
        {
            overrides["Storage:Provider"] = Infrastructure.Storage.StorageOptions.SqliteProvider;
            overrides["Storage:SqlitePath"] = sqlite.FullName;
            overrides["Storage:ConnectionString"] = null;
            overrides["Storage:TableServiceUri"] = null;
        }

        if (parse.GetValue(TableEndpoint) is { } endpoint)
        {
            overrides["Storage:Provider"] = Infrastructure.Storage.StorageOptions.AzureTablesProvider;
            overrides["Storage:TableServiceUri"] = endpoint.ToString();
            overrides["Storage:ConnectionString"] = null;
        }

        if (parse.GetValue(HeadsDirectory) is { } directory)
        {
            // The command line wins over any head log the settings name.
            overrides["AuditHeads:Directory"] = directory.FullName;
            overrides["AuditHeads:BlobContainerUri"] = null;
            overrides["AuditHeads:ConnectionString"] = null;
        }

        if (parse.GetValue(HeadsContainer) is { } container)
        {
            overrides["AuditHeads:BlobContainerUri"] = container.ToString();
            overrides["AuditHeads:Directory"] = null;
            overrides["AuditHeads:ConnectionString"] = null;
        }

        builder.AddInMemoryCollection(overrides);
        var configuration = builder.Build();
        if (configuration["Storage:Provider"] is null)
        {
            // Nothing configured: the local server's default database, when there is one.
            var local = Path.Combine(DataDirectory(), "smsmcp.db");
            if (!File.Exists(local))
            {
                throw new CommandFailure(ExitCodes.Usage, "no_store",
                    "Name the audit store: --sqlite FILE, --table-endpoint URI, or the server's Storage__* settings (environment or --settings).");
            }

            builder.AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:Provider"] = Infrastructure.Storage.StorageOptions.SqliteProvider, ["Storage:SqlitePath"] = local });
            configuration = builder.Build();
        }

        return configuration;
    }

    // A bearer token must never travel in clear text, so only https is accepted; the parser reports anything else.
    private static Option<Uri> HttpsUri(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps)
            {
                return uri;
            }

            result.AddError($"{name} must be an absolute https URL.");
            return null;
        },
    };

    private static string DataDirectory() => SmsMcpEnvironment.Create(false, Environment.GetEnvironmentVariable(SmsMcpEnvironment.DataDirectoryVariable)).DataDirectory;

    private static bool IsSqlite(StorageOptions options) =>
        string.Equals(options.Provider, Infrastructure.Storage.StorageOptions.SqliteProvider, StringComparison.OrdinalIgnoreCase);

    private static byte[] Decode(string base64, string source, int minimumBytes)
    {
        try
        {
            var key = Convert.FromBase64String(base64.Trim());
            return key.Length >= minimumBytes
                ? key
                : throw new CommandFailure(ExitCodes.Usage, "configuration", $"{source} must decode to at least {minimumBytes} bytes.");
        }
        catch (FormatException)
        {
            throw new CommandFailure(ExitCodes.Usage, "configuration", $"{source} is not valid base64.");
        }
    }
}

/// <summary>An opened audit store: the table store, its validated settings, all settings, and a secret-free description.</summary>
internal sealed record OpenedTrail(ITableStore Store, StorageOptions Storage, IConfiguration Configuration, string Description);
