namespace SmsMcp.Core.Hosting;

/// <summary>
/// Facts about where the server runs that decide its defaults. Only <see cref="IsDevelopment"/> turns on
/// the zero-setup local defaults (SQLite, sandbox, generated keys); everywhere else each must be configured.
/// </summary>
public sealed record SmsMcpEnvironment(bool IsDevelopment, string DataDirectory)
{
    /// <summary>Environment variable that moves the local data directory (default <c>.smsmcp</c> in the working directory).</summary>
    public const string DataDirectoryVariable = "SMSMCP_DATA_DIR";

    public static SmsMcpEnvironment Create(bool isDevelopment, string? dataDirectory) =>
        new(isDevelopment, Path.GetFullPath(string.IsNullOrWhiteSpace(dataDirectory) ? ".smsmcp" : dataDirectory));
}
