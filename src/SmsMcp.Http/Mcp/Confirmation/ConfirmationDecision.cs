using SmsMcp.Core.Sending;
using SmsMcp.Core.Vocabulary;

namespace SmsMcp.Http.Mcp.Confirmation;

/// <summary>What <see cref="ClientConfirmation"/> decided: send <see cref="Proceed"/> through the pipeline, or answer <see cref="Refusal"/> (already audited).</summary>
public sealed record ConfirmationDecision(SendRequest? Proceed, Refusal? Refusal)
{
    public static ConfirmationDecision Send(SendRequest request) => new(request, null);

    public static ConfirmationDecision Refused(Refusal refusal) => new(null, refusal);
}
