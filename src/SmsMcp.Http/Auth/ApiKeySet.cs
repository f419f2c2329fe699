namespace SmsMcp.Http.Auth;

/// <summary>
/// Configured API key hashes and who each belongs to (MCP callers, admin operators). A presented key is checked against
/// every hash without stopping early, so timing does not tell which owner nearly matched.
/// </summary>
public sealed class ApiKeySet<TOwner>(IEnumerable<(TOwner Owner, ApiKeyHash Hash)> keys)
    where TOwner : class
{
    private readonly (TOwner Owner, ApiKeyHash Hash)[] _keys = [.. keys];

    public bool IsEmpty => _keys.Length == 0;

    /// <summary>The owner of the first hash <paramref name="presented"/> matches, or null.</summary>
    public TOwner? Match(string presented)
    {
        TOwner? match = null;
        foreach (var (owner, hash) in _keys)
        {
            if (hash.Matches(presented) && match is null)
            {
                match = owner;
            }
        }

        return match;
    }
}
