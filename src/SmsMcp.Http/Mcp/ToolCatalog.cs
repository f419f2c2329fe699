using System.Reflection;
using Microsoft.Extensions.AI;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace SmsMcp.Http.Mcp;

/// <summary>
/// The fixed tool surface (security invariant 4): every <see cref="McpServerToolTypeAttribute"/> class in this
/// assembly, built once. Input schemas say <c>additionalProperties: false</c>; <see cref="ToolArgumentValidator"/>
/// enforces it, since the SDK itself ignores unknown arguments.
/// </summary>
public sealed class ToolCatalog
{
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
        var toolTypes = typeof(ToolCatalog).Assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<McpServerToolTypeAttribute>() is not null);
        foreach (var type in toolTypes)
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance)
                         .Where(m => m.GetCustomAttribute<McpServerToolAttribute>() is not null))
            {
                // Each call gets a fresh tool instance from the request's services (constructor injection).
                Tools.Add(McpServerTool.Create(method, ctx => ActivatorUtilities.CreateInstance(ctx.Services!, type), createOptions));
            }
        }
    }

    public McpServerPrimitiveCollection<McpServerTool> Tools { get; }

    public Tool? Find(string name) => Tools.TryGetPrimitive(name, out var tool) ? tool.ProtocolTool : null;
}
