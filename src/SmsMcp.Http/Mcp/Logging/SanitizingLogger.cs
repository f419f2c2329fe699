namespace SmsMcp.Http.Mcp.Logging;

/// <summary>
/// Rewrites each event before the real logger sees it (<see cref="SanitizingLoggerFactory"/>). With
/// <c>redactValues</c> only values that cannot carry caller text survive (numbers, flags, durations, and MCP method or
/// tool names this server knows); exceptions become their type name, since their messages may quote what was sent.
/// </summary>
internal sealed class SanitizingLogger(ILogger inner, bool redactValues) : ILogger
{
    /// <summary>
    /// A scope's values are sanitized as an event's are: ASP.NET Core's request scope carries the URL path, and every
    /// line logged inside the scope repeats it.
    /// </summary>
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull =>
        state is IReadOnlyList<KeyValuePair<string, object?>> values
            ? inner.BeginScope(SanitizedLogValues.From(values, redactValues, null))
            : inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!inner.IsEnabled(logLevel))
        {
            return;
        }

        var passedOn = redactValues ? null : exception;
        if (state is IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            var clean = SanitizedLogValues.From(values, redactValues, redactValues ? exception : null);
            inner.Log(logLevel, eventId, clean, passedOn, static (s, _) => s.ToString());
            return;
        }

        var text = redactValues
            ? $"[redacted MCP SDK event {eventId.Name ?? eventId.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)}]"
            : SanitizedLogValues.StripControlCharacters(formatter(state, exception));
        inner.Log(logLevel, eventId, text, passedOn, static (s, _) => s);
    }
}
