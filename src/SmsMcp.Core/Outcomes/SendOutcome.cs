using SmsMcp.Core.Vocabulary;

namespace SmsMcp.Core.Outcomes;

/// <summary>Either a <see cref="Result"/> or a <see cref="Refusal"/>, never both.</summary>
public sealed record SendOutcome(SendResult? Result, Refusal? Refusal)
{
    public static SendOutcome Sent(SendResult result) => new(result, null);

    public static SendOutcome Refused(Refusal refusal) => new(null, refusal);
}
