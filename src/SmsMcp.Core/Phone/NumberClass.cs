namespace SmsMcp.Core.Phone;

/// <summary>
/// How a number is charged or routed, as far as the calling-code table and its range table can tell.
/// Policy uses it to block toll-fraud destinations; <see cref="Standard"/> means only that no special
/// range is known for the number, not that the destination is cheap.
/// </summary>
public enum NumberClass
{
    /// <summary>No special range known: an ordinary geographic or mobile number as far as the data goes.</summary>
    Standard,

    /// <summary>Free to the caller (UIFN +800, NANP 8YY, national 0800-style ranges).</summary>
    Freephone,

    /// <summary>Cost shared between caller and callee, or charged above a geographic call (+808, UK 084/087, DE 0180, ...).</summary>
    SharedCost,

    /// <summary>Premium rate: the callee earns revenue (+979, UK 09, DE 0900, FR 089, ...). A classic toll-fraud target.</summary>
    Premium,

    /// <summary>NANP premium-rate area codes 900 and 976.</summary>
    NanpPremium,

    /// <summary>Personal numbers that forward anywhere (UK 070, DE 0700, NANP 5XX easily-recognisable codes, +878 UPT).</summary>
    PersonalNumbering,

    /// <summary>Mobile satellite systems (+870 Inmarsat, +881 GMSS): expensive to reach.</summary>
    Satellite,

    /// <summary>International networks (+882, +883): carriers, IoT and inflight networks, often high-cost.</summary>
    InternationalNetwork,

    /// <summary>Other global services with a non-geographic code (+888 disaster relief, +991 trial service).</summary>
    GlobalService,
}
