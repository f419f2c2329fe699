using System.Text.Json.Nodes;
using Json.Schema;

namespace SmsMcp.Cli.Tests.Infrastructure;

/// <summary>The committed schemas (src/SmsMcp.Cli/Schemas) and a check that an answer validates against them.</summary>
internal static class JsonSchemas
{
    public static string Folder => Path.Combine(RepositoryPaths.Root, "src", "SmsMcp.Cli", "Schemas");

    /// <summary>Validates the envelope and, when <paramref name="resultSchema"/> is given, the result against its schema.</summary>
    public static JsonNode AssertValid(string json, string? resultSchema = null)
    {
        var node = JsonNode.Parse(json) ?? throw new InvalidOperationException("empty JSON answer");
        Check("envelope.schema.json", node);
        if (resultSchema is not null)
        {
            Check(resultSchema, node["result"]);
        }

        return node;
    }

    /// <summary>Validates a file (an input such as a cases file) against a schema.</summary>
    public static void AssertFileValid(string path, string schemaFile) => Check(schemaFile, JsonNode.Parse(File.ReadAllText(path)));

    private static void Check(string schemaFile, JsonNode? node)
    {
        var schema = JsonSchema.FromText(File.ReadAllText(Path.Combine(Folder, schemaFile)));
        var result = schema.Evaluate(node, new EvaluationOptions { OutputFormat = OutputFormat.List });
        var errors = result.Details.Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"));
        Assert.True(result.IsValid, $"{schemaFile}: " + string.Join("; ", errors));
    }
}
