namespace SmsMcp.Core.Watchdog.Counters;

internal enum TrafficRowKind
{
    /// <summary>A counter row (before watchdog events, or synthetic history): always counted.</summary>
    Counter,

    /// <summary>One caller's folded slice: counted only once its slice's marker is stored.</summary>
    Fold,

    /// <summary>A slice's fold is complete: its fold rows replace its events.</summary>
    Marker,
}
