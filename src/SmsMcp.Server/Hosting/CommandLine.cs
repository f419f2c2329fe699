namespace SmsMcp.Server.Hosting;

/// <summary>
/// Splits the command line into host options and a mode: <c>[--option value …] [mode [mode arguments]]</c>.
/// Options may come first because <c>dotnet run</c> puts the project's RunArguments before the user's.
/// </summary>
public sealed record CommandLine(string? Mode, string[] HostArguments, string[] ModeArguments)
{
    public const string Stdio = "stdio";
    public const string HashKey = "hash-key";

    public static CommandLine Parse(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith('-'))
            {
                if (!args[i].Contains('=', StringComparison.Ordinal))
                {
                    i++; // "--key value": skip the value too.
                }

                continue;
            }

            return new CommandLine(args[i], args[..i], args[(i + 1)..]);
        }

        return new CommandLine(null, args, []);
    }
}
