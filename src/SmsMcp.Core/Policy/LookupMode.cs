namespace SmsMcp.Core.Policy;

/// <summary>When a profile's sends are checked with a carrier lookup (policy <c>profiles.{name}.lookup.mode</c>).</summary>
public enum LookupMode
{
    /// <summary>Default: no lookup; the policy's own number classes are the only line-type check.</summary>
    Off,

    /// <summary>
    /// A send to a number the caller has never texted is looked up first (line type, SMS pumping risk) and refused
    /// when the answer is blocked; once a message to that number went out, later ones are not looked up.
    /// </summary>
    FirstContact,
}
