using SmsMcp.Core.Pricing;

namespace SmsMcp.Core.Policy;

/// <summary>
/// A validated policy document: the recipient directory, the profiles, which caller uses which, the global
/// limits and the price list. Only
/// <see cref="PolicyLoader"/> builds one, so holding a <see cref="SendPolicy"/> means holding a checked policy.
/// </summary>
public sealed class SendPolicy
{
    private readonly IReadOnlyDictionary<string, string> _callers;
    private readonly ILookup<string, PolicyRecipient> _byNumber;

    internal SendPolicy(
        string version,
        IReadOnlyDictionary<string, PolicyRecipient> recipients,
        IReadOnlyDictionary<string, PolicyProfile> profiles,
        IReadOnlyDictionary<string, string> callers,
        GlobalQuotas global,
        PriceList pricing)
    {
        Version = version;
        Recipients = recipients;
        Profiles = profiles;
        _callers = callers;
        Global = global;
        Pricing = pricing;
        _byNumber = recipients.Values.ToLookup(r => r.Number.E164, StringComparer.Ordinal);
    }

    /// <summary>"sha256:" and the hex SHA-256 of the canonical file bytes; written into every audit record.</summary>
    public string Version { get; }

    /// <summary>Alias → directory entry.</summary>
    public IReadOnlyDictionary<string, PolicyRecipient> Recipients { get; }

    /// <summary>Profile name → profile.</summary>
    public IReadOnlyDictionary<string, PolicyProfile> Profiles { get; }

    /// <summary>Limits for all callers together.</summary>
    public GlobalQuotas Global { get; }

    /// <summary>Per-segment prices; the currency of every spend cap.</summary>
    public PriceList Pricing { get; }

    /// <summary>The watchdog's thresholds (policy <c>watchdog</c>); the defaults when the section is absent.</summary>
    public WatchdogRules Watchdog { get; init; } = WatchdogRules.Default;

    /// <summary>Caller id → profile name (the policy's <c>callers</c>), for tools that list or compare callers.</summary>
    public IReadOnlyDictionary<string, string> Callers => _callers;

    /// <summary>The profile of a caller id, or null: an unknown caller gets nothing.</summary>
    public PolicyProfile? ProfileFor(string callerId) =>
        _callers.TryGetValue(callerId, out var name) ? Profiles[name] : null;

    /// <summary>Every directory entry that holds <paramref name="e164"/> (several aliases may share a number).</summary>
    public IEnumerable<PolicyRecipient> EntriesFor(string e164) => _byNumber[e164];
}
