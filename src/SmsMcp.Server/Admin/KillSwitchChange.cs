namespace SmsMcp.Server.Admin;

/// <summary>Body of <c>PUT /admin/kill-switch</c> and <c>PUT /admin/callers/{id}/kill-switch</c>: <c>{"engaged": true}</c>.</summary>
public sealed record KillSwitchChange(bool? Engaged);
