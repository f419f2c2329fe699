namespace SmsMcp.Core.Policy;

/// <summary>When a profile's sends need an operator's approval (policy <c>profiles.{name}.approval</c>).</summary>
public enum ApprovalMode
{
    /// <summary>Default: allowed sends go out at once.</summary>
    None,

    /// <summary>
    /// A send to a number the caller has never texted waits for an operator (<c>pending_approval</c>); once one
    /// message to that number went out, later ones do not.
    /// </summary>
    FirstContact,
}
