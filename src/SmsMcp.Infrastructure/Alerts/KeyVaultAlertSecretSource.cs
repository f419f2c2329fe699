using Azure;
using Azure.Security.KeyVault.Secrets;

namespace SmsMcp.Infrastructure.Alerts;

/// <summary>
/// The webhook signing secret from Key Vault through the app's identity, cached for <see cref="CacheFor"/> so an alert
/// storm reads the vault once, and re-read after that so a rotated secret takes effect. Errors name the secret and the
/// HTTP status only.
/// </summary>
public sealed class KeyVaultAlertSecretSource(SecretClient client, string secretName, TimeProvider time) : IAlertSecretSource, IDisposable
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(10);

    private readonly SemaphoreSlim _gate = new(1, 1);

    public void Dispose() => _gate.Dispose();
    private (string Value, DateTimeOffset ReadAt)? _cached;

    public async ValueTask<string> GetWebhookSecretAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_cached is { } cached && time.GetUtcNow() - cached.ReadAt < CacheFor)
            {
                return cached.Value;
            }

            KeyVaultSecret secret;
            try
            {
                secret = (await client.GetSecretAsync(secretName, cancellationToken: cancellationToken)).Value;
            }
            catch (RequestFailedException e)
            {
                throw new AlertChannelException($"Reading the Key Vault secret '{secretName}' failed ({e.Status}).");
            }

            var value = secret.Value?.Trim();
            if (string.IsNullOrEmpty(value))
            {
                throw new AlertChannelException($"The Key Vault secret '{secretName}' is empty.");
            }

            _cached = (value, time.GetUtcNow());
            return value;
        }
        finally
        {
            _gate.Release();
        }
    }
}

/// <summary>A signing secret given in configuration (Development only).</summary>
public sealed class ConfiguredAlertSecretSource(string secret) : IAlertSecretSource
{
    public ValueTask<string> GetWebhookSecretAsync(CancellationToken cancellationToken) => ValueTask.FromResult(secret);
}
