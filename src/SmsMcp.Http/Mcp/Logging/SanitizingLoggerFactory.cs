using Microsoft.Extensions.Options;

namespace SmsMcp.Http.Mcp.Logging;

/// <summary>
/// The host's logger factory with every logger wrapped in a <see cref="SanitizingLogger"/>: caller-supplied text never
/// reaches a log line. Loggers of the MCP SDK (category <c>ModelContextProtocol*</c>) get their values redacted — the SDK
/// logs method and tool names, client names and request ids verbatim, and the messages of exceptions that repeat them —
/// and every other logger gets control characters removed from its string values, so nothing can forge a log line.
/// </summary>
public sealed class SanitizingLoggerFactory(
    IEnumerable<ILoggerProvider> providers,
    IOptionsMonitor<LoggerFilterOptions> filterOptions,
    IOptions<LoggerFactoryOptions>? options = null) : ILoggerFactory
{
    private const string SdkCategoryPrefix = "ModelContextProtocol";

    private readonly LoggerFactory _inner = new(providers, filterOptions, options);

    public ILogger CreateLogger(string categoryName) =>
        new SanitizingLogger(_inner.CreateLogger(categoryName), redactValues: categoryName.StartsWith(SdkCategoryPrefix, StringComparison.Ordinal));

    public void AddProvider(ILoggerProvider provider) => _inner.AddProvider(provider);

    public void Dispose() => _inner.Dispose();
}
