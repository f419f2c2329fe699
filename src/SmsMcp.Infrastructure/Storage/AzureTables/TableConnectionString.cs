namespace SmsMcp.Infrastructure.Storage.AzureTables;

/// <summary>
/// The parts of an Azure Storage connection string the Table client needs: <c>UseDevelopmentStorage=true</c>, or
/// <c>AccountName</c> + <c>AccountKey</c> with <c>TableEndpoint</c> or <c>DefaultEndpointsProtocol</c>/<c>EndpointSuffix</c>.
/// </summary>
/// <remarks>Security: error messages name the missing or malformed part, never a value (the string holds the account key).</remarks>
public sealed record TableConnectionString(Uri TableServiceUri, TableSharedKeyCredential SharedKey)
{
    /// <summary>Azurite's and the storage emulator's published, well-known development account.</summary>
    public const string DevelopmentAccountName = "devstoreaccount1";

    /// <summary>
    /// The development account's key. Public by design (documented by Microsoft for the emulator); it protects nothing
    /// but local test data, and tests and benchmarks use it from here rather than pasting it.
    /// </summary>
    public const string DevelopmentAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <exception cref="FormatException">The string is malformed or lacks a part; the message names the part.</exception>
    public static TableConnectionString Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var segment in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = segment.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException("The storage connection string has a part that is not Name=Value.");
            }

            parts[segment[..equals].Trim()] = segment[(equals + 1)..].Trim();
        }

        if (parts.TryGetValue("UseDevelopmentStorage", out var development) && bool.TryParse(development, out var useDevelopment) && useDevelopment)
        {
            return new TableConnectionString(
                new Uri($"http://127.0.0.1:10002/{DevelopmentAccountName}"),
                new TableSharedKeyCredential(DevelopmentAccountName, DevelopmentAccountKey));
        }

        var account = Required(parts, "AccountName");
        var key = Required(parts, "AccountKey");
        Uri endpoint;
        if (parts.TryGetValue("TableEndpoint", out var tableEndpoint))
        {
            if (!Uri.TryCreate(tableEndpoint, UriKind.Absolute, out endpoint!) || endpoint.Scheme is not ("http" or "https"))
            {
                throw new FormatException("TableEndpoint in the storage connection string is not an absolute http(s) URI.");
            }
        }
        else
        {
            var protocol = parts.GetValueOrDefault("DefaultEndpointsProtocol", "https");
            var suffix = parts.GetValueOrDefault("EndpointSuffix", "core.windows.net");
            if (protocol is not ("http" or "https") || !Uri.TryCreate($"{protocol}://{account}.table.{suffix}", UriKind.Absolute, out endpoint!))
            {
                throw new FormatException("DefaultEndpointsProtocol, AccountName or EndpointSuffix in the storage connection string do not form a URI.");
            }
        }

        try
        {
            return new TableConnectionString(endpoint, new TableSharedKeyCredential(account, key));
        }
        catch (ArgumentException e)
        {
            throw new FormatException("AccountKey in the storage connection string is not valid base64.", e);
        }
    }

    private static string Required(Dictionary<string, string> parts, string name) =>
        parts.TryGetValue(name, out var value) && value.Length > 0
            ? value
            : throw new FormatException($"The storage connection string has no {name}.");
}
