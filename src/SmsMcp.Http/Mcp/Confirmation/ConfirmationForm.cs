using System.Globalization;
using System.Text;
using ModelContextProtocol.Protocol;
using SmsMcp.Core.Outcomes;
using SmsMcp.Core.Pricing;

namespace SmsMcp.Http.Mcp.Confirmation;

/// <summary>
/// The elicitation a confirming profile's send asks: a form-mode request whose message shows the person at the client
/// what would go out — masked recipient and alias, the body as sent, segments, estimated cost — and one boolean to tick.
/// </summary>
internal static class ConfirmationForm
{
    /// <summary>The key of the one input request, and of the answer the retried call must carry.</summary>
    public const string InputKey = "confirm_send";

    /// <summary>The form's one field: true only when the person means "send it".</summary>
    public const string ConfirmField = "confirm";

    public static ElicitRequestParams For(SendEvaluation evaluation, CostEstimate? cost, string body)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        var recipient = evaluation.Recipient!;
        var segmentation = evaluation.Segmentation!;
        var message = new StringBuilder()
            .AppendLine("An AI agent wants to send this SMS on your behalf. Send it?")
            .Append("To: ").AppendLine(recipient.Alias is { } alias ? $"{alias} ({recipient.Number.Masked})" : recipient.Number.Masked)
            .Append(CultureInfo.InvariantCulture, $"Segments: {segmentation.Segments}").AppendLine()
            .Append("Estimated cost: ").AppendLine(cost is null ? "unknown" : string.Create(CultureInfo.InvariantCulture, $"{cost.Amount} {cost.Currency}"))
            .AppendLine("Message:")
            .Append(body)
            .ToString();
        return new ElicitRequestParams
        {
            Mode = "form",
            Message = message,
            RequestedSchema = new ElicitRequestParams.RequestSchema
            {
                Properties = new Dictionary<string, ElicitRequestParams.PrimitiveSchemaDefinition>
                {
                    [ConfirmField] = new ElicitRequestParams.BooleanSchema
                    {
                        Title = "Send this message",
                        Description = "Tick to send the SMS shown above exactly as written; leave unticked or decline to send nothing.",
                        Default = false,
                    },
                },
                Required = [ConfirmField],
            },
        };
    }
}
