namespace SmsMcp.Http.Admin;

/// <summary>Body of every control <c>PUT</c> under <c>/admin</c> (kill switch, dry run): <c>{"engaged": true}</c>.</summary>
public sealed record ControlChange(bool? Engaged);
