using System.Text.Json.Serialization;

namespace SmsMcp.Http.Mcp.Tools;

/// <summary>The wire shape of list_recipients.</summary>
public sealed record RecipientListResult([property: JsonPropertyName("recipients")] IReadOnlyList<RecipientItem> Recipients);
