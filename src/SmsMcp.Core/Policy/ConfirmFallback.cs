namespace SmsMcp.Core.Policy;

/// <summary>
/// What a <see cref="ConfirmMode.Client"/> profile does with a client that cannot ask its user (an older protocol
/// revision, or no form elicitation capability): policy <c>profiles.{name}.confirmFallback</c>.
/// </summary>
public enum ConfirmFallback
{
    /// <summary>Default: the send is refused (<c>confirmation_unavailable</c>). Fails closed.</summary>
    Refuse,

    /// <summary>The send waits for an operator's approval instead (<c>pending_approval</c>), whatever the contact history.</summary>
    Approval,
}
