namespace SmsMcp.Core.Policy;

/// <summary>What a first contact gets when the lookup cannot answer (policy <c>profiles.{name}.lookup.onUnavailable</c>).</summary>
public enum LookupFallback
{
    /// <summary>Default (fail closed): refused with <c>lookup_unavailable</c>.</summary>
    Refuse,

    /// <summary>Sent without the lookup's answer: the profile's other rules still apply. Weakens toll-fraud protection.</summary>
    Allow,
}
