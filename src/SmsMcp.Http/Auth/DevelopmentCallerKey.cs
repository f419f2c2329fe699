namespace SmsMcp.Http.Auth;

/// <summary>
/// The development caller's API key: from <c>SMSMCP_DEV_API_KEY</c> (for scripts) or generated at start and
/// printed once. Exists only in Development; the key lives in memory only.
/// </summary>
public sealed class DevelopmentCallerKey
{
    public const string CallerId = "dev";
    public const string Variable = "SMSMCP_DEV_API_KEY";

    public DevelopmentCallerKey(string? configuredKey)
    {
        if (configuredKey is not null && configuredKey.Length < ApiKeyHash.MinimumKeyLength)
        {
            throw new InvalidOperationException($"{Variable} must be at least {ApiKeyHash.MinimumKeyLength} characters.");
        }

        Key = configuredKey ?? ApiKeyHash.NewKey();
        WasGenerated = configuredKey is null;
    }

    public string Key { get; }

    /// <summary>True when the key was generated here and so must be shown to the user once.</summary>
    public bool WasGenerated { get; }
}
