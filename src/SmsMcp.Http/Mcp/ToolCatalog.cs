using Microsoft.Extensions.AI;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using SmsMcp.Http.Mcp.Tools;

namespace SmsMcp.Http.Mcp;

/// <summary>
/// The fixed tool surface (security invariant 4): an explicit list, built once. The SDK's <c>WithTools&lt;T&gt;()</c>
/// takes no schema options, so the tools are created here with <c>additionalProperties: false</c> in their input
/// schemas and handed to <c>WithTools(...)</c>; <see cref="ToolArgumentValidator"/> enforces the schemas, since the
/// SDK itself ignores unknown arguments.
/// </summary>
public sealed class ToolCatalog
{
    private static readonly Type[] ToolTypes =
    [
        typeof(SendSmsTool),
        typeof(PreviewSmsTool),
        typeof(ListRecipientsTool),
        typeof(GetMessageStatusTool),
        typeof(GetUsageTool),
    ];

    public ToolCatalog()
    {
        var createOptions = new McpServerToolCreateOptions
        {
            SchemaCreateOptions = new AIJsonSchemaCreateOptions
            {
                TransformOptions = new AIJsonSchemaTransformOptions { DisallowAdditionalProperties = true },
            },
        };

        Tools = new McpServerPrimitiveCollection<McpServerTool>();
        foreach (var type in ToolTypes)
        {
            foreach (var method in type.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance)
                         .Where(m => m.IsDefined(typeof(McpServerToolAttribute), inherit: false)))
            {
                // Each call gets a fresh tool instance from the request's services (constructor injection).
                Tools.Add(McpServerTool.Create(method, ctx => ActivatorUtilities.CreateInstance(ctx.Services!, type), createOptions));
            }
        }
    }

    /// <summary>The tool names, known without building the tools (the log sanitizer may print these).</summary>
    public static IReadOnlySet<string> Names { get; } = ToolTypes
        .SelectMany(t => t.GetMethods())
        .Select(m => m.GetCustomAttributes(typeof(McpServerToolAttribute), inherit: false).OfType<McpServerToolAttribute>().FirstOrDefault()?.Name)
        .OfType<string>()
        .ToHashSet(StringComparer.Ordinal);

    public McpServerPrimitiveCollection<McpServerTool> Tools { get; }

    public Tool? Find(string name) => Tools.TryGetPrimitive(name, out var tool) ? tool.ProtocolTool : null;
}
