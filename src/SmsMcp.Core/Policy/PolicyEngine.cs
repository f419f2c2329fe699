using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using SmsMcp.Core.Callers;
using SmsMcp.Core.Content;
using SmsMcp.Core.Outcomes;
using SmsMcp.Core.Phone;
using SmsMcp.Core.Recipients;
using SmsMcp.Core.Vocabulary;

namespace SmsMcp.Core.Policy;

/// <summary>
/// Applies the <see cref="SendPolicy"/> to one request, without side effects. Order of checks (the first
/// failing one answers): caller profile → recipient syntax → for numbers: class, country, allowlist (deny
/// beats allow); for aliases: allowlist first, so an alias the caller may not use is indistinguishable from
/// an unknown one → body length → hidden characters → links → operator deny patterns → segments.
/// </summary>
public sealed class PolicyEngine(SendPolicy policy, UrlShorteners shorteners, ILogger<PolicyEngine> logger)
{
    private readonly UrlScanner _urls = new(shorteners);

    /// <summary>The policy version written into audit records.</summary>
    public string Version => policy.Version;

    /// <summary>The decision for <paramref name="caller"/> sending <paramref name="body"/> to <paramref name="to"/>.</summary>
    public SendEvaluation Evaluate(CallerIdentity caller, string? to, string? body)
    {
        var segmentation = string.IsNullOrEmpty(body) ? null : SmsSegmenter.Analyze(body);
        if (policy.ProfileFor(caller.Id) is not { } profile)
        {
            return new SendEvaluation(null, segmentation, Refusal.CallerNotPermitted);
        }

        if (!TryResolve(profile, to, out var recipient, out var refusal))
        {
            return new SendEvaluation(null, segmentation, refusal);
        }

        if (string.IsNullOrEmpty(body))
        {
            return new SendEvaluation(recipient, null, Refusal.EmptyBody);
        }

        return new SendEvaluation(recipient, segmentation, CheckContent(profile, body, segmentation!));
    }

    /// <summary>The approval mode of <paramref name="caller"/>'s profile (<see cref="ApprovalMode.None"/> for an unknown caller, who can send nothing anyway).</summary>
    public ApprovalMode ApprovalFor(CallerIdentity caller) => policy.ProfileFor(caller.Id)?.Approval ?? ApprovalMode.None;

    /// <summary>
    /// The client-confirmation rules of <paramref name="caller"/>'s profile (<see cref="ConfirmMode.None"/> for an unknown
    /// caller, who can send nothing anyway) and the profile's name, which a confirmation is bound to.
    /// </summary>
    public (ConfirmMode Mode, ConfirmFallback Fallback, string? Profile) ConfirmationFor(CallerIdentity caller) =>
        policy.ProfileFor(caller.Id) is { } profile ? (profile.Confirm, profile.ConfirmFallback, profile.Name) : (ConfirmMode.None, ConfirmFallback.Refuse, null);

    /// <summary>The carrier-lookup rules of <paramref name="caller"/>'s profile (<see cref="LookupRules.Off"/> for an unknown caller, who can send nothing anyway).</summary>
    public LookupRules LookupFor(CallerIdentity caller) => policy.ProfileFor(caller.Id)?.Lookup ?? LookupRules.Off;

    /// <summary>The aliases <paramref name="caller"/> may text, numbers masked, in alias order; empty for an unknown caller.</summary>
    public IReadOnlyList<RecipientEntry> List(CallerIdentity caller)
    {
        if (policy.ProfileFor(caller.Id) is not { } profile)
        {
            return [];
        }

        return policy.Recipients.Values
            .Where(r => Check(profile, r.Number) is null)
            .OrderBy(r => r.Alias, StringComparer.Ordinal)
            .Select(r => new RecipientEntry(r.Alias, r.Number.Masked, r.Number.Region))
            .ToList();
    }

    private bool TryResolve(PolicyProfile profile, string? to, out ResolvedRecipient? recipient, out Refusal? refusal)
    {
        recipient = null;
        var trimmed = to?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            refusal = Refusal.InvalidRecipient;
            return false;
        }

        if (trimmed.StartsWith('+') || trimmed.Any(char.IsDigit) && !trimmed.Any(char.IsLetter))
        {
            if (!PhoneNumberParser.TryParse(trimmed, out var number, out _))
            {
                refusal = Refusal.InvalidNumber;
                return false;
            }

            refusal = Check(profile, number);
            recipient = refusal is null ? new ResolvedRecipient(number, VisibleAlias(number)) : null;
            return refusal is null;
        }

        var alias = trimmed.ToLowerInvariant();
        if (!PolicyRecipient.IsValidName(alias))
        {
            refusal = Refusal.InvalidRecipient;
            return false;
        }

        if (!policy.Recipients.TryGetValue(alias, out var entry) || !IsSelected(profile, entry.Number))
        {
            refusal = Refusal.RecipientNotAllowed;
            return false;
        }

        refusal = Check(profile, entry.Number);
        recipient = refusal is null ? new ResolvedRecipient(entry.Number, alias) : null;
        return refusal is null;
    }

    /// <summary>Class, country, then allow/deny: null when <paramref name="number"/> may be texted under <paramref name="profile"/>.</summary>
    private Refusal? Check(PolicyProfile profile, PhoneNumber number) =>
        !profile.AllowsClass(number.Class) ? Refusal.NumberClassBlocked
        : !profile.Countries.Contains(number.Region) ? Refusal.CountryNotAllowed
        : !IsSelected(profile, number) ? Refusal.RecipientNotAllowed
        : null;

    private bool IsSelected(PolicyProfile profile, PhoneNumber number)
    {
        var entries = policy.EntriesFor(number.E164);
        return !profile.Deny.Matches(number, entries) && profile.Allow.Matches(number, entries);
    }

    private string? VisibleAlias(PhoneNumber number) =>
        policy.EntriesFor(number.E164).Select(e => e.Alias).Order(StringComparer.Ordinal).FirstOrDefault();

    private Refusal? CheckContent(PolicyProfile profile, string body, SmsSegmentation segmentation)
    {
        if (body.Length > SendLimits.MaxBodyLength)
        {
            return Refusal.BodyTooLong;
        }

        if (HiddenCharacters.Find(body) is { } hidden)
        {
            return hidden;
        }

        if (_urls.Find(body, profile.Content) is { } link)
        {
            return link;
        }

        for (var i = 0; i < profile.Content.DenyPatterns.Count; i++)
        {
            try
            {
                if (profile.Content.DenyPatterns[i].IsMatch(body))
                {
                    return Refusal.ContentNotAllowed;
                }
            }
            catch (RegexMatchTimeoutException)
            {
                // Fail closed: a body the check cannot finish on is not sent. Only the pattern's position is logged.
                logger.LogWarning("Deny pattern {Index} of profile {Profile} timed out; refusing the message.", i, profile.Name);
                return Refusal.ContentCheckFailed;
            }
        }

        return segmentation.Segments > profile.Content.MaxSegments ? Refusal.TooManySegments : null;
    }
}
