namespace SmsMcp.Core.Lookup;

/// <summary>
/// What a lookup said about one number: whether it is a valid number at all, its line type (Twilio Lookup v2 names:
/// <c>mobile</c>, <c>premium</c>, <c>tollFree</c> ...) and its SMS pumping risk score (0–100, higher is riskier).
/// Holds no number, so it can be cached under the number's pseudonym.
/// </summary>
public sealed record NumberLookupAnswer(bool Valid, string LineType, int SmsPumpingRisk);
