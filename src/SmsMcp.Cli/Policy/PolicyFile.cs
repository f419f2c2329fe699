using SmsMcp.Cli.Output;
using SmsMcp.Core.Policy;

namespace SmsMcp.Cli.Policy;

/// <summary>A policy file read and validated by the server's own loader (<see cref="PolicyLoader.Parse"/>).</summary>
internal sealed record PolicyFile(string Path, byte[] Bytes, SendPolicy? Policy, IReadOnlyList<string> Errors)
{
    public static PolicyFile Read(FileInfo file)
    {
        var bytes = ReadBytes(file);
        var policy = PolicyLoader.Parse(bytes, UrlShorteners.BuiltIn(), out var errors);
        return new PolicyFile(file.FullName, bytes, policy, errors);
    }

    /// <summary>The policy, or a <see cref="CommandFailure"/> naming how many fields are wrong (run <c>policy check</c> for them).</summary>
    public SendPolicy Valid => Policy ?? throw new CommandFailure(ExitCodes.Failed, "policy_invalid",
        $"{System.IO.Path.GetFileName(Path)} is not a valid policy ({Errors.Count} error(s)); run `smsmcp policy check` to see them.");

    public static byte[] ReadBytes(FileInfo file)
    {
        try
        {
            return File.ReadAllBytes(file.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailure(ExitCodes.Unavailable, "file_unreadable", $"{file.Name} cannot be read ({e.GetType().Name}).");
        }
    }

    /// <summary>Splits a loader error "<c>path: message</c>" into its field path and its message.</summary>
    public static (string Field, string Message) Split(string error)
    {
        var colon = error.IndexOf(": ", StringComparison.Ordinal);
        return colon <= 0 ? ("", error) : (error[..colon], error[(colon + 2)..]);
    }
}
