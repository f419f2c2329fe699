using System.ComponentModel;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using SmsMcp.Core.Messages;

namespace SmsMcp.Http.Mcp.Tools;

[McpServerToolType]
public sealed class GetMessageStatusTool(MessageStore messages)
{
    public const string NotFoundCode = "message_not_found";

    [McpServerTool(Name = "get_message_status", Title = "Get message status", Destructive = false, Idempotent = true, OpenWorld = false, ReadOnly = true,
        UseStructuredContent = true, OutputSchemaType = typeof(MessageStatusResult))]
    [Description("Returns the delivery status of a message you sent. Only your own messages are visible.")]
    public async Task<CallToolResult> GetAsync(
        RequestContext<CallToolRequestParams> context,
        [Description("The message_id that send_sms returned.")] string message_id,
        CancellationToken cancellationToken = default)
    {
        var caller = ToolCaller.Of(context);
        var record = MessageStore.IsWellFormedId(message_id) ? await messages.GetAsync(caller.Id, message_id, cancellationToken) : null;
        if (record is null)
        {
            return ToolResults.Error(NotFoundCode, "No message with this id was sent by you. Use the message_id that send_sms returned.");
        }

        return ToolResults.Success(new MessageStatusResult(
            record.MessageId, WireFormat.Of(record.Status), record.RecipientMasked, record.Alias, record.Segments,
            WireFormat.Of(record.Encoding), record.CreatedAt, record.UpdatedAt, record.ErrorCode));
    }
}
