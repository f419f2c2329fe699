using SmsMcp.Core.Hosting;

namespace SmsMcp.Core.Audit;

/// <summary>Finds the pseudonymization key: configured, or (Development only) generated into the data directory.</summary>
public static class PseudonymizationKeySource
{
    public const string FileName = "pseudonymization.key";

    /// <summary>Returns the key bytes; throws <see cref="InvalidOperationException"/> naming the setting when there is none.</summary>
    public static byte[] Load(AuditOptions options, SmsMcpEnvironment environment)
    {
        if (!string.IsNullOrWhiteSpace(options.PseudonymizationKey))
        {
            return Decode(options.PseudonymizationKey, "Audit:PseudonymizationKey");
        }

        if (!environment.IsDevelopment)
        {
            throw new InvalidOperationException(
                "Audit:PseudonymizationKey is not set. Outside Development a base64 key of at least 32 bytes must be configured.");
        }

        Directory.CreateDirectory(environment.DataDirectory);
        var path = Path.Combine(environment.DataDirectory, FileName);
        try
        {
            // CreateNew: two processes starting together on one data directory cannot both write a key.
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var stream = new FileStream(path, create);
            var key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
            using var writer = new StreamWriter(stream);
            writer.Write(Convert.ToBase64String(key));
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            return Decode(File.ReadAllText(path), path);
        }
    }

    private static byte[] Decode(string base64, string source)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{source} is not valid base64.");
        }

        return key.Length >= Pseudonymizer.MinimumKeyBytes
            ? key
            : throw new InvalidOperationException($"{source} must decode to at least {Pseudonymizer.MinimumKeyBytes} bytes.");
    }
}
