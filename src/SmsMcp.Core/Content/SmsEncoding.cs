namespace SmsMcp.Core.Content;

/// <summary>The character encoding an SMS body needs.</summary>
public enum SmsEncoding
{
    /// <summary>GSM 03.38 7-bit default alphabet plus its extension table: 160 septets in one message.</summary>
    Gsm7,

    /// <summary>UCS-2 / UTF-16, needed as soon as one character is outside GSM-7: 70 code units in one message.</summary>
    Ucs2,
}
