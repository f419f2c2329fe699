namespace SmsMcp.Core.Suppression;

/// <summary>Why a number is on the suppression list.</summary>
public enum SuppressionSource
{
    /// <summary>The recipient replied STOP (or another opt-out keyword).</summary>
    StopReply,

    /// <summary>The provider reported that the recipient opted out (Twilio error 21610).</summary>
    ProviderOptOut,

    /// <summary>An operator added the number.</summary>
    Operator,
}
