namespace SmsMcp.Core.Watchdog.Counters;

/// <summary>A parsed row key of a period's partition (<see cref="TrafficRowKeys.Parse"/>): <see cref="Slice"/> is -1 for a counter row, <see cref="CallerId"/> null for a marker.</summary>
internal readonly record struct TrafficRow(TrafficRowKind Kind, int Slice, string? CallerId);
