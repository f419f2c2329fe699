using System.Reflection;
using System.Security.Cryptography;
using SmsMcp.Core.Hosting;

namespace SmsMcp.Core.Policy;

/// <summary>
/// Reads the policy named by <see cref="PolicyOptions.Path"/> (or, in Development only, the built-in
/// development policy) and validates it. Its version is "sha256:" plus the SHA-256 of the canonical bytes:
/// the file without a UTF-8 byte-order mark and with CRLF turned into LF, so a Windows checkout of the same
/// commit has the same version.
/// </summary>
public static class PolicyLoader
{
    /// <summary>How the built-in development policy is named in errors and logs.</summary>
    public const string DevelopmentSource = "policy/development.json (built in)";

    private const string DevelopmentResource = "SmsMcp.Core.Policy.development.json";

    /// <summary>Loads and validates; on failure <paramref name="errors"/> names each faulty field.</summary>
    public static bool TryLoad(PolicyOptions options, SmsMcpEnvironment environment, UrlShorteners shorteners,
        out SendPolicy? policy, out string source, out IReadOnlyList<string> errors)
    {
        policy = null;
        byte[] bytes;
        if (!string.IsNullOrWhiteSpace(options.Path))
        {
            source = $"'{options.Path}' ({PolicyOptions.SectionName}:Path)";
            try
            {
                bytes = File.ReadAllBytes(options.Path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                errors = [$"{PolicyOptions.SectionName}:Path: the policy file cannot be read ({e.GetType().Name})."];
                return false;
            }
        }
        else if (environment.IsDevelopment)
        {
            source = DevelopmentSource;
            bytes = DevelopmentPolicyBytes();
        }
        else
        {
            source = $"({PolicyOptions.SectionName}:Path)";
            errors = [$"{PolicyOptions.SectionName}:Path is not set. Outside Development a policy file must be configured (see policy/example.production.json)."];
            return false;
        }

        policy = Parse(bytes, shorteners, out errors);
        return policy is not null;
    }

    /// <summary>Validates a policy document held in memory.</summary>
    public static SendPolicy? Parse(byte[] bytes, UrlShorteners shorteners, out IReadOnlyList<string> errors)
    {
        var canonical = Canonical(bytes);
        return PolicyParser.Parse(canonical, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(canonical)), shorteners, out errors);
    }

    /// <summary>The development policy that ships in <c>policy/development.json</c>.</summary>
    public static byte[] DevelopmentPolicyBytes()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(DevelopmentResource)
            ?? throw new InvalidOperationException($"Embedded resource {DevelopmentResource} is missing.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static byte[] Canonical(byte[] bytes)
    {
        var start = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        var canonical = new List<byte>(bytes.Length);
        for (var i = start; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\r' && i + 1 < bytes.Length && bytes[i + 1] == (byte)'\n')
            {
                continue;
            }

            canonical.Add(bytes[i]);
        }

        return [.. canonical];
    }
}
