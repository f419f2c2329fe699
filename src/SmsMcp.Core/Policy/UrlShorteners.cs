using System.Collections.Frozen;
using System.Reflection;

namespace SmsMcp.Core.Policy;

/// <summary>
/// The public URL shorteners refused in every profile, kept as data in <c>url-shorteners.txt</c> (embedded).
/// A host matches when it is a listed host or a subdomain of one.
/// </summary>
public sealed class UrlShorteners
{
    private const string ResourceName = "SmsMcp.Core.Policy.url-shorteners.txt";

    private readonly FrozenSet<string> _hosts;

    /// <summary>Builds the set from explicit hosts (lower-case ASCII).</summary>
    public UrlShorteners(IEnumerable<string> hosts) => _hosts = hosts.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The built-in list.</summary>
    public static UrlShorteners BuiltIn()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing.");
        using var reader = new StreamReader(stream);
        var hosts = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            var trimmed = line.Trim();
            if (trimmed.Length > 0 && trimmed[0] != '#')
            {
                hosts.Add(trimmed.ToLowerInvariant());
            }
        }

        return new UrlShorteners(hosts);
    }

    /// <summary>Every listed host.</summary>
    public IReadOnlyCollection<string> Hosts => _hosts;

    /// <summary>True when <paramref name="host"/> (lower-case) is a shortener or under one.</summary>
    public bool Contains(string host)
    {
        for (var candidate = host; candidate.Length > 0;)
        {
            if (_hosts.Contains(candidate))
            {
                return true;
            }

            var dot = candidate.IndexOf('.', StringComparison.Ordinal);
            candidate = dot < 0 ? "" : candidate[(dot + 1)..];
        }

        return false;
    }
}
