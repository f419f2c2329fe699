namespace SmsMcp.Core.Recipients;

/// <summary>An alias a caller may text, with its number masked, as <c>list_recipients</c> shows it.</summary>
public sealed record RecipientEntry(string Alias, string MaskedNumber, string Region);
