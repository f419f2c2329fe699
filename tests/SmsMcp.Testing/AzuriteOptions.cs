namespace SmsMcp.Testing;

/// <summary>What an <see cref="AzuriteEmulator"/> serves and how it keeps its data.</summary>
public sealed record AzuriteOptions
{
    /// <summary>Serve Blob (and, unused, Queue) next to Table: the whole emulator rather than its Table service alone.</summary>
    public bool Blobs { get; init; }

    /// <summary>
    /// Keep the data on disk in a temp directory of its own, so that the emulator can be stopped — an outage — and
    /// started again on the same ports with the same data. Otherwise in memory, gone when it stops.
    /// </summary>
    public bool Persistent { get; init; }

    /// <summary>With <see cref="KeyPemPath"/>: serve HTTPS with this certificate.</summary>
    public string? CertificatePemPath { get; init; }

    public string? KeyPemPath { get; init; }

    /// <summary>Accept bearer tokens (<c>--oauth basic</c>; needs HTTPS).</summary>
    public bool OAuthBasic { get; init; }
}
