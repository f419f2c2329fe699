using Azure.Core;

namespace SmsMcp.Infrastructure.Storage.AzureTables;

/// <summary>
/// Where and how <see cref="AzureTableStore"/> reaches the Table service. Exactly one of <see cref="Credential"/> and
/// <see cref="SharedKey"/> must be set; invalid values throw when the store is constructed. The inherited
/// <see cref="ClientOptions.Transport"/> may be replaced (tests trust a self-signed certificate that way).
/// </summary>
/// <remarks>
/// Defaults: Azure.Core's logging and distributed tracing are switched off, because both record request URIs and
/// entity addresses carry partition and row keys; retries are limited to transient failures (408, 429, 5xx, network
/// errors) — at most 2 (<see cref="ClientOptions.Retry"/>) with exponential back-off from 100 ms — and everything, retries included,
/// must finish within <see cref="RequestTimeout"/>.
/// </remarks>
public sealed class AzureTableStoreOptions : ClientOptions
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
    /// The Table service endpoint: <c>https://{account}.table.core.windows.net</c> in Azure, or a path-style emulator
    /// endpoint such as <c>http://127.0.0.1:10002/devstoreaccount1</c>. Required. Token authentication requires https.
    /// </summary>
    public Uri? ServiceUri { get; set; }

    /// <summary>
    /// Entra ID credential (managed identity in Azure), asked for scope <c>https://storage.azure.com/.default</c>.
    /// The production choice: no key to leak, access limited by role assignment. Default: none.
    /// </summary>
    public TokenCredential? Credential { get; set; }

    /// <summary>Account key authentication (SharedKeyLite), for the emulator or an explicit connection string. Default: none.</summary>
    public TableSharedKeyCredential? SharedKey { get; set; }

    /// <summary>
    /// The deadline of one store operation including its retries; past it the operation fails with
    /// <see cref="StorageUnavailableException"/> (fail closed). Default: 5 seconds. Range: 100 ms to 2 minutes.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = DefaultRequestTimeout;

    /// <summary>Clock of the SharedKeyLite request date. Default: <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
