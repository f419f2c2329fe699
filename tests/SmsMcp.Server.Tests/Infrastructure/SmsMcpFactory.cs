using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SmsMcp.Server.Tests.Infrastructure;

/// <summary>
/// The real app in process, in Development with a temporary data directory and a fixed dev key, every log
/// line captured. One factory per test class (xunit class fixture).
/// </summary>
public class SmsMcpFactory : WebApplicationFactory<Program>
{
    public const string ApiKey = "test-dev-key-0123456789abcdefghijklmnop";

    public SmsMcpFactory()
    {
        DataDirectory = Directory.CreateTempSubdirectory("smsmcp-test-").FullName;
    }

    public string DataDirectory { get; }

    public CapturingLoggerProvider Logs { get; } = new();

    public string OutboxPath => Path.Combine(DataDirectory, "sandbox-outbox.jsonl");

    public IReadOnlyList<string> OutboxLines() =>
        File.Exists(OutboxPath) ? File.ReadAllLines(OutboxPath) : [];

    /// <summary>
    /// Starts the app expecting it to refuse, and returns the failure's text: the exception plus every captured log
    /// line. WebApplicationFactory sometimes reports a failed start only as an ObjectDisposedException (its deferred
    /// host races the app's disposal), but the host always logs the real exception first.
    /// </summary>
    public string StartFailure()
    {
        var failure = Xunit.Record.Exception(() => CreateClient());
        Xunit.Assert.NotNull(failure);
        return failure + "\n" + string.Join("\n", Logs.Lines);
    }

    /// <summary>Extra settings for subclasses (applied as host settings, so Program sees them while building).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> Settings => [];

    protected virtual string EnvironmentName => "Development";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(EnvironmentName);
        builder.UseSetting("SMSMCP_DATA_DIR", DataDirectory);
        builder.UseSetting("SMSMCP_DEV_API_KEY", ApiKey);

        // Jobs on the real clock would run at whatever five-minute boundary a test happens to cross.
        builder.UseSetting("Schedule:Enabled", "false");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
