using System.ComponentModel;
using System.Text.Json.Serialization;

namespace SmsMcp.Http.Mcp.Tools;

/// <summary>One recipient in list_recipients.</summary>
public sealed record RecipientItem(
    [property: JsonPropertyName("alias"), Description("Pass this as 'to' in send_sms.")] string Alias,
    [property: JsonPropertyName("to"), Description("The number, masked.")] string To,
    [property: JsonPropertyName("region"), Description("ISO 3166-1 region of the number.")] string Region);
