namespace SmsMcp.Core.Phone;

/// <summary>
/// How a number is charged or routed, from libphonenumber's number type (and, for the non-geographic
/// calling codes, the code itself). Policy uses it to block toll-fraud destinations: every class but
/// <see cref="Standard"/> and <see cref="Voip"/> is blocked unless a profile re-allows it. The names are
/// the policy document's vocabulary, so they never change meaning; new classes are only added.
/// </summary>
public enum NumberClass
{
    /// <summary>An ordinary fixed-line or mobile number (libphonenumber FIXED_LINE, MOBILE, FIXED_LINE_OR_MOBILE).</summary>
    Standard,

    /// <summary>Toll-free (TOLL_FREE): NANP 8YY, national 0800-style ranges, UIFN +800.</summary>
    Freephone,

    /// <summary>Cost shared between caller and callee (SHARED_COST): DE 0180, FR 081, +808, ...</summary>
    SharedCost,

    /// <summary>Premium rate (PREMIUM_RATE) outside the NANP: the callee earns revenue (UK 09, DE 0900, +979, ...). A classic toll-fraud target.</summary>
    Premium,

    /// <summary>Premium rate inside the NANP (+1 900): kept apart from <see cref="Premium"/> so existing profiles keep their meaning.</summary>
    NanpPremium,

    /// <summary>Personal numbers that forward anywhere (PERSONAL_NUMBER): UK 070, DE 0700, NANP 5XX.</summary>
    PersonalNumbering,

    /// <summary>Mobile satellite systems (+870 Inmarsat, +881 GMSS): expensive to reach.</summary>
    Satellite,

    /// <summary>International networks (+882, +883): carriers, IoT and inflight networks, often high-cost.</summary>
    InternationalNetwork,

    /// <summary>Any other non-geographic calling code (+878 universal personal telecommunications, +888 disaster relief, codes added later).</summary>
    GlobalService,

    /// <summary>Universal access numbers (UAN): one company-wide number routed by the operator (JP 0570, NG 0700, ...), often charged above a normal call.</summary>
    Uan,

    /// <summary>Pager numbers (PAGER).</summary>
    Pager,

    /// <summary>Voicemail access numbers (VOICEMAIL).</summary>
    Voicemail,

    /// <summary>Numbers of VoIP services (VOIP, such as UK 056): allowed by default, but a profile can deny them.</summary>
    Voip,
}
