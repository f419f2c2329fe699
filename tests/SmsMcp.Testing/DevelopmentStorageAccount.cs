namespace SmsMcp.Testing;

/// <summary>
/// Azurite's well-known development account. Its key is public by design (Microsoft documents it for the emulator) and
/// protects nothing but local test data; tests and the benchmark take it from here rather than pasting it.
/// </summary>
public static class DevelopmentStorageAccount
{
    public const string Name = "devstoreaccount1";

    public const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>A connection string for the account at a path-style emulator endpoint such as <c>http://127.0.0.1:{port}/devstoreaccount1</c>.</summary>
    public static string ConnectionString(Uri tableEndpoint, string key = Key) =>
        $"AccountName={Name};AccountKey={key};TableEndpoint={tableEndpoint}";
}
