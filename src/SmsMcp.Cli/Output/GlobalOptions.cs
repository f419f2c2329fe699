using System.CommandLine;

namespace SmsMcp.Cli.Output;

/// <summary>Options every command accepts (declared once on the root, recursive).</summary>
internal sealed class GlobalOptions
{
    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Write one JSON document to stdout instead of tables (schemas beside the tool, Schemas/).",
        Recursive = true,
    };
}
