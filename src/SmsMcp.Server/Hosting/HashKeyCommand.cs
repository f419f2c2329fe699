using SmsMcp.Core.Callers;
using SmsMcp.Http.Auth;

namespace SmsMcp.Server.Hosting;

/// <summary>
/// <c>SmsMcp.Server hash-key --caller NAME [--index N]</c>: makes a new API key and prints it once, with the
/// salted hash to configure. The server never sees or stores the key itself.
/// </summary>
public static class HashKeyCommand
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var caller = Option(args, "--caller");
        var indexText = Option(args, "--index") ?? "0";
        if (!CallerIdentity.IsValidId(caller) || !int.TryParse(indexText, out var index) || index < 0)
        {
            error.WriteLine("usage: SmsMcp.Server hash-key --caller NAME [--index N]   (NAME: 1-64 of letters, digits, '-', '_', '.', ':')");
            return 2;
        }

        var key = ApiKeyHash.NewKey();
        var hash = ApiKeyHash.Create(key);
        output.WriteLine($"New API key for caller '{caller}' (shown once; give it to the agent's MCP client and keep no other copy):");
        output.WriteLine($"  {key}");
        output.WriteLine();
        output.WriteLine("Server configuration (app settings / environment variables):");
        output.WriteLine($"  Auth__Callers__{index}__Id={caller}");
        output.WriteLine($"  Auth__Callers__{index}__KeySalt={hash.SaltBase64}");
        output.WriteLine($"  Auth__Callers__{index}__KeyHash={hash.HashBase64}");
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
