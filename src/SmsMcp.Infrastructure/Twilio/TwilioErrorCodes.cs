using SmsMcp.Core.Vocabulary;


namespace SmsMcp.Infrastructure.Twilio;

/// <summary>Twilio's error codes that we act on, mapped to our stable reason codes.</summary>
public static class TwilioErrorCodes
{
    /// <summary>The recipient unsubscribed (STOP, or Advanced Opt-Out keywords of a Messaging Service).</summary>
    public const int OptedOut = 21610;

    /// <summary>Geo permissions do not allow the destination's region.</summary>
    public const int RegionNotPermitted = 21408;

    /// <summary>The To number is not reachable from this sender (unsupported route or carrier).</summary>
    public const int CannotRoute = 21612;

    /// <summary>Blocked by SMS pumping protection.</summary>
    public const int PumpingBlocked = 30450;

    /// <summary>Blocked by SMS pumping protection (destination flagged as high risk).</summary>
    public const int PumpingHighRisk = 30453;

    /// <summary>Too many requests.</summary>
    public const int TooManyRequests = 20429;

    /// <summary>Authentication failed (wrong, revoked or rotated credentials).</summary>
    public const int AuthenticationFailed = 20003;

    /// <summary>Our reason code for a Twilio error code; anything unlisted is <c>provider_failed</c>.</summary>
    public static string ToReasonCode(int? code) => code switch
    {
        OptedOut => ReasonCodes.RecipientOptedOut,
        RegionNotPermitted or CannotRoute => ReasonCodes.DestinationNotPermitted,
        PumpingBlocked or PumpingHighRisk => ReasonCodes.PumpingProtection,
        TooManyRequests => ReasonCodes.ProviderRateLimited,
        AuthenticationFailed => ReasonCodes.ProviderCredentials,
        _ => ReasonCodes.ProviderFailed,
    };
}
