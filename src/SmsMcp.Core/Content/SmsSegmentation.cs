namespace SmsMcp.Core.Content;

/// <summary>How an SMS body will be sent and billed.</summary>
/// <param name="Encoding">The encoding the whole body needs.</param>
/// <param name="Segments">
/// Billable message parts: 0 for an empty body, 1 when it fits a single SMS, otherwise the number of
/// concatenated parts (each loses room to the concatenation header).
/// </param>
/// <param name="Units">
/// Body size in the encoding's units: GSM-7 septets (extension-table characters such as '€' or '{'
/// count 2), or UTF-16 code units for UCS-2 (a character outside the Basic Multilingual Plane, such
/// as most emoji, counts 2).
/// </param>
public sealed record SmsSegmentation(SmsEncoding Encoding, int Segments, int Units);
