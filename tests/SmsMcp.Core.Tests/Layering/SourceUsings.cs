using System.Text.RegularExpressions;

namespace SmsMcp.Core.Tests.Layering;

/// <summary>
/// The feature graph as the source files' <c>using SmsMcp.Core.X</c> directives draw it. It sees what leaves no trace
/// in the compiled code (constants, <c>nameof</c>, documentation references); the build forbids unused usings in
/// SmsMcp.Core (IDE0005), so every edge here is one the code needs.
/// </summary>
internal static partial class SourceUsings
{
    public static NamespaceGraph Read(string projectDirectory)
    {
        var graph = new NamespaceGraph();
        var build = new[] { Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar };
        foreach (var file in Directory.EnumerateFiles(projectDirectory, "*.cs", SearchOption.AllDirectories).Where(f => !build.Any(f.Contains)))
        {
            var text = File.ReadAllText(file);
            if (NamespaceDeclaration().Match(text) is not { Success: true } declared || NamespaceGraph.FeatureOf(declared.Groups[1].Value) is not { } from)
            {
                continue;
            }

            foreach (Match used in UsingDirective().Matches(text))
            {
                if (NamespaceGraph.FeatureOf(used.Groups[1].Value) is { } to)
                {
                    graph.Add(from, to, Path.GetRelativePath(projectDirectory, file) + ": using " + used.Groups[1].Value);
                }
            }
        }

        return graph;
    }

    [GeneratedRegex(@"^\s*namespace\s+([\w.]+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();

    // using X; using static X.Y; using Alias = X.Y; and their global forms.
    [GeneratedRegex(@"^\s*(?:global\s+)?using\s+(?:static\s+)?(?:\w+\s*=\s*)?(SmsMcp\.Core(?:\.\w+)+)\s*;", RegexOptions.Multiline)]
    private static partial Regex UsingDirective();
}
