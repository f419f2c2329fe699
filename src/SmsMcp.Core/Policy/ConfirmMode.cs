namespace SmsMcp.Core.Policy;

/// <summary>Whether a profile's sends need the confirmation of the human at the client (policy <c>profiles.{name}.confirm</c>).</summary>
public enum ConfirmMode
{
    /// <summary>Default: no confirmation is asked.</summary>
    None,

    /// <summary>
    /// Every <c>send_sms</c> first asks the client to show the person in front of it what will be sent (an MCP
    /// elicitation in the 2026-07-28 multi-round-trip form); only an accepted answer sends.
    /// </summary>
    Client,
}
