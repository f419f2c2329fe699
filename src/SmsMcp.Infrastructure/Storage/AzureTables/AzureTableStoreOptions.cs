using Azure.Core;
using Azure.Data.Tables;
using SmsMcp.Core.Storage;

namespace SmsMcp.Infrastructure.Storage.AzureTables;

/// <summary>
/// Where and how <see cref="AzureTableStore"/> reaches the Table service: either <see cref="ServiceUri"/> with a
/// <see cref="Credential"/> (Entra ID; production) or a <see cref="ConnectionString"/> (account key; the emulator).
/// Invalid values throw when the store is constructed. The inherited client options (<see cref="ClientOptions.Transport"/>
/// among them) reach the SDK's <see cref="TableServiceClient"/> unchanged; tests trust a self-signed certificate that way.
/// </summary>
/// <remarks>
/// Defaults: Azure.Core's logging and distributed tracing are switched off, because both record request URIs and
/// entity addresses carry partition and row keys; Azure.Core retries only transient failures (408, 429, 500, 502, 503,
/// 504, network errors) — at most 2 (<see cref="ClientOptions.Retry"/>) with exponential back-off from 100 ms — and
/// everything, retries included, must finish within <see cref="RequestTimeout"/>.
/// </remarks>
public sealed class AzureTableStoreOptions : TableClientOptions
{
    /// <summary>Default of <see cref="RequestTimeout"/>.</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(5);

    public AzureTableStoreOptions()
    {
        Diagnostics.IsLoggingEnabled = false;
        Diagnostics.IsDistributedTracingEnabled = false;
        Retry.MaxRetries = 2;
        Retry.Mode = RetryMode.Exponential;
        Retry.Delay = TimeSpan.FromMilliseconds(100);
        Retry.MaxDelay = TimeSpan.FromSeconds(1);
    }

    /// <summary>
    /// With <see cref="Credential"/>: the Table service endpoint, <c>https://{account}.table.core.windows.net</c> (https
    /// required, since a bearer token sent in clear text could be replayed). Default: none.
    /// </summary>
    public Uri? ServiceUri { get; set; }

    /// <summary>
    /// Entra ID credential (managed identity in Azure), asked for scope <c>https://storage.azure.com/.default</c>.
    /// The production choice: no key to leak, access limited by role assignment. Default: none.
    /// </summary>
    public TokenCredential? Credential { get; set; }

    /// <summary>
    /// Instead of <see cref="ServiceUri"/> and <see cref="Credential"/>: a storage connection string with an account key,
    /// meant for the emulator (<c>UseDevelopmentStorage=true</c>, or <c>AccountName</c>/<c>AccountKey</c>/<c>TableEndpoint</c>).
    /// Security: the key grants full control of the account and is never printed. Default: none.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The deadline of one store operation including its retries; past it the operation fails with
    /// <see cref="StorageUnavailableException"/> (fail closed). Default: 5 seconds. Range: 100 ms to 2 minutes.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = DefaultRequestTimeout;
}
