namespace SmsMcp.Infrastructure.Twilio;

/// <summary>
/// Lookup v2 for one number: whether Twilio considers it valid, its line type (<c>mobile</c>, <c>landline</c>,
/// <c>fixedVoip</c>, <c>nonFixedVoip</c>, <c>tollFree</c>, <c>premium</c>, <c>sharedCost</c>, <c>uan</c>,
/// <c>voicemail</c>, <c>pager</c>, <c>personal</c>, <c>unknown</c>; null when Twilio did not say) and the SMS
/// pumping risk score (0–100; null when not returned).
/// </summary>
public sealed record TwilioLookupResult(bool Valid, string? LineType, int? SmsPumpingRiskScore);
