using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using SmsMcp.Core.Callers;
using SmsMcp.Core.Phone;
using SmsMcp.Core.Pricing;

namespace SmsMcp.Core.Policy;

/// <summary>
/// Reads a policy document and checks every field, collecting all errors, each starting with the field path
/// (<c>profiles.agents.countries[2]: ...</c>). Strict on purpose: unknown or duplicate properties are errors, so
/// a typo cannot silently widen or narrow what is allowed. Errors never repeat a phone number.
/// </summary>
internal sealed partial class PolicyParser
{
    /// <summary>Region of non-geographic calling codes (+800, +870, +881 ...): a profile must list it to reach them.</summary>
    public const string NonGeographic = PhoneMetadata.NonGeographicRegion;

    private const long MaxCount = 100_000_000;
    private const decimal MaxSpend = 100_000_000m;
    private const decimal MaxPrice = 1_000m;
    private const int MoneyDecimals = 6;

    private readonly List<string> _errors = [];
    private readonly Dictionary<string, PolicyRecipient> _recipients = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PolicyProfile> _profiles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _callers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _groups = new(StringComparer.Ordinal);
    private GlobalQuotas _global = GlobalQuotas.None;
    private PriceList _pricing = PriceList.Empty;
    private readonly UrlShorteners _shorteners;

    private PolicyParser(UrlShorteners shorteners) => _shorteners = shorteners;

    /// <summary>Parses <paramref name="json"/>; on any error returns null and the errors.</summary>
    public static SendPolicy? Parse(ReadOnlySpan<byte> json, string version, UrlShorteners shorteners, out IReadOnlyList<string> errors)
    {
        var parser = new PolicyParser(shorteners);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            errors = [$"(document): not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})."];
            return null;
        }

        using (document)
        {
            parser.ReadRoot(document.RootElement);
        }

        errors = parser._errors;
        return parser._errors.Count == 0 ? new SendPolicy(version, parser._recipients, parser._profiles, parser._callers, parser._global, parser._pricing) { Watchdog = parser._watchdog }
            : null;
    }

    private void ReadRoot(JsonElement root)
    {
        if (!Properties(root, "(document)", ["$schema", "description", "recipients", "profiles", "callers", "global", "pricing", "watchdog"], ["profiles", "callers"], out var props))
        {
            return;
        }

        if (props.TryGetValue("recipients", out var recipients))
        {
            ReadRecipients(recipients, "recipients");
        }

        ReadProfiles(props["profiles"], "profiles");
        ReadCallers(props["callers"], "callers");
        if (props.TryGetValue("global", out var global))
        {
            _global = ReadGlobal(global, "global");
        }

        if (props.TryGetValue("pricing", out var pricing))
        {
            _pricing = ReadPricing(pricing, "pricing");
        }

        if (props.TryGetValue("watchdog", out var watchdog))
        {
            _watchdog = ReadWatchdog(watchdog, "watchdog");
        }
    }

    private void ReadRecipients(JsonElement element, string path)
    {
        foreach (var (alias, value) in Members(element, path))
        {
            var at = $"{path}.{alias}";
            if (!PolicyRecipient.IsValidName(alias))
            {
                Error(path, "a key is not a valid alias (1-64 of a-z, 0-9, '-', '_', '.').");
                continue;
            }

            if (!Properties(value, at, ["number", "groups", "description"], ["number"], out var props))
            {
                continue;
            }

            var number = ReadNumber(props["number"], $"{at}.number");
            var groups = props.TryGetValue("groups", out var g) ? ReadNames(g, $"{at}.groups", "group") : [];
            _groups.UnionWith(groups);
            if (number is not null)
            {
                _recipients[alias] = new PolicyRecipient(alias, number, groups.ToFrozenSet(StringComparer.Ordinal));
            }
        }
    }

    private void ReadProfiles(JsonElement element, string path)
    {
        foreach (var (name, value) in Members(element, path))
        {
            var at = $"{path}.{name}";
            if (!PolicyRecipient.IsValidName(name))
            {
                Error(path, "a key is not a valid profile name (1-64 of a-z, 0-9, '-', '_', '.').");
                continue;
            }

            if (!Properties(value, at, ["description", "allow", "deny", "countries", "allowNumberClasses", "denyNumberClasses", "content", "quotas", "approval", "lookup", "confirm", "confirmFallback"], ["allow", "countries"], out var props))
            {
                continue;
            }

            var allow = ReadSelector(props["allow"], $"{at}.allow");
            var deny = props.TryGetValue("deny", out var d) ? ReadSelector(d, $"{at}.deny") : RecipientSelector.Empty;
            var countries = ReadCountries(props["countries"], $"{at}.countries");
            var classes = props.TryGetValue("allowNumberClasses", out var c) ? ReadClasses(c, $"{at}.allowNumberClasses", reAllow: true) : [];
            var denied = props.TryGetValue("denyNumberClasses", out var dc) ? ReadClasses(dc, $"{at}.denyNumberClasses", reAllow: false) : [];
            foreach (var both in classes.Intersect(denied))
            {
                Error($"{at}.denyNumberClasses", $"'{both}' is also in allowNumberClasses; name a class in one list only.");
            }

            var content = props.TryGetValue("content", out var ct) ? ReadContent(ct, $"{at}.content") : ContentRules.Default;
            var quotas = props.TryGetValue("quotas", out var q) ? ReadQuotas(q, $"{at}.quotas") : DeclaredQuotas.None;
            var approval = props.TryGetValue("approval", out var a) ? ReadApproval(a, $"{at}.approval") : ApprovalMode.None;
            var lookup = props.TryGetValue("lookup", out var l) ? ReadLookup(l, $"{at}.lookup") : LookupRules.Off;
            var confirm = props.TryGetValue("confirm", out var cm) ? ReadConfirm(cm, $"{at}.confirm") : ConfirmMode.None;
            var fallback = props.TryGetValue("confirmFallback", out var cf) ? ReadConfirmFallback(cf, $"{at}.confirmFallback") : ConfirmFallback.Refuse;
            if (props.ContainsKey("confirmFallback") && confirm != ConfirmMode.Client)
            {
                // A fallback without confirmation would never apply: the author meant something else.
                Error($"{at}.confirmFallback", "applies only to a profile with \"confirm\": \"client\".");
            }

            _profiles[name] = new PolicyProfile(name, allow, deny, countries, classes.ToFrozenSet(), content, quotas, approval)
            {
                Lookup = lookup,
                DeniedClasses = denied.ToFrozenSet(),
                Confirm = confirm,
                ConfirmFallback = fallback,
            };
        }
    }

    private void ReadCallers(JsonElement element, string path)
    {
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (caller, value) in Members(element, path))
        {
            var at = $"{path}.{caller}";
            if (!CallerIdentity.IsValidId(caller))
            {
                Error(path, "a key is not a valid caller id (1-64 of letters, digits, '-', '_', '.', ':').");
            }
            else if (!seen.TryAdd(caller, caller) && seen[caller] is var other)
            {
                // Ids are compared exactly; two that differ only in case would let a typo name another caller.
                Error(at, $"differs from caller '{other}' only in letter case; caller ids are compared exactly, so use distinct ids.");
            }
            else if (String(value, at) is { } profile)
            {
                if (_profiles.ContainsKey(profile))
                {
                    _callers[caller] = profile;
                }
                else
                {
                    Error(at, PolicyRecipient.IsValidName(profile) ? $"unknown profile '{profile}'." : "not a valid profile name.");
                }
            }
        }
    }

    private RecipientSelector ReadSelector(JsonElement element, string path)
    {
        if (!Properties(element, path, ["recipients", "groups", "numbers", "patterns"], [], out var props))
        {
            return RecipientSelector.Empty;
        }

        var recipients = ReadReferences(props, "recipients", path, _recipients.ContainsKey, "unknown recipient '{0}' (not in the recipients directory).", "not a valid alias (to list a number, use 'numbers').");
        var groups = ReadReferences(props, "groups", path, _groups.Contains, "unknown group '{0}' (no recipient is in it).", "not a valid group name.");

        var numbers = new HashSet<string>(StringComparer.Ordinal);
        if (props.TryGetValue("numbers", out var n))
        {
            foreach (var item in Items(n, $"{path}.numbers"))
            {
                if (ReadNumber(item.Value, item.Path) is { } number)
                {
                    numbers.Add(number.E164);
                }
            }
        }

        var patterns = new List<NumberPattern>();
        if (props.TryGetValue("patterns", out var p))
        {
            foreach (var (template, at) in Strings(p, $"{path}.patterns"))
            {
                if (ValidatePattern(template) is { } problem)
                {
                    Error(at, problem);
                }
                else
                {
                    patterns.Add(new NumberPattern(template));
                }
            }
        }

        return new RecipientSelector(recipients, groups, numbers, patterns);
    }

    /// <summary>
    /// Names in <paramref name="property"/> that <paramref name="exists"/> knows; each unknown one is an error (a typo must not
    /// silently select nothing). Only a well-formed name is repeated in it: anything else may be a phone number.
    /// </summary>
    private HashSet<string> ReadReferences(Dictionary<string, JsonElement> props, string property, string path, Func<string, bool> exists, string unknown, string invalid)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (props.TryGetValue(property, out var element))
        {
            foreach (var (name, at) in Strings(element, $"{path}.{property}"))
            {
                if (exists(name))
                {
                    names.Add(name);
                }
                else
                {
                    Error(at, PolicyRecipient.IsValidName(name) ? string.Format(CultureInfo.InvariantCulture, unknown, name) : invalid);
                }
            }
        }

        return names;
    }

    /// <summary>Why a template is not a usable pattern, or null. Its calling code must be literal digits.</summary>
    private static string? ValidatePattern(string template)
    {
        if (template.Length < 2 || template[0] != '+' || !template.Skip(1).All(c => char.IsAsciiDigit(c) || c is 'X' or 'N'))
        {
            return "a pattern is '+' then digits, 'X' (any digit) or 'N' (2-9), such as +1NXX55501XX.";
        }

        var digits = template.Length - 1;
        if (digits is < PhoneNumberParser.MinDigits or > PhoneNumberParser.MaxDigits)
        {
            return $"a pattern covers {PhoneNumberParser.MinDigits} to {PhoneNumberParser.MaxDigits} digits after the '+'.";
        }

        var literal = template[1..].TakeWhile(char.IsAsciiDigit).ToArray();
        return PhoneMetadata.TryMatchCallingCode(literal, out _, out var codeLength) && codeLength <= literal.Length
            ? null
            : "a pattern must start with a complete, assigned country calling code written as digits.";
    }

    private FrozenSet<string> ReadCountries(JsonElement element, string path)
    {
        var countries = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (country, at) in Strings(element, path))
        {
            if (PhoneMetadata.IsKnownRegion(country))
            {
                countries.Add(country);
            }
            else
            {
                Error(at, $"'{country}' is not an ISO 3166-1 alpha-2 code (upper case) with a calling code, nor \"{NonGeographic}\" for non-geographic numbers.");
            }
        }

        return countries.ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// Class names for <c>allowNumberClasses</c> (<paramref name="reAllow"/>: the classes blocked by default) or
    /// <c>denyNumberClasses</c> (any class but Standard). Names are matched exactly, as the enum spells them.
    /// </summary>
    private List<NumberClass> ReadClasses(JsonElement element, string path, bool reAllow)
    {
        var accepted = Enum.GetValues<NumberClass>()
            .Where(c => c != NumberClass.Standard && (!reAllow || !PolicyProfile.IsAllowedByDefault(c)))
            .ToList();
        var classes = new List<NumberClass>();
        foreach (var (name, at) in Strings(element, path))
        {
            var matches = accepted.Where(c => string.Equals(c.ToString(), name, StringComparison.Ordinal)).ToList();
            if (matches.Count == 1)
            {
                classes.Add(matches[0]);
            }
            else
            {
                // Echo the value only when it looks like a name, so a number typed here is never printed.
                var shown = name.Length <= 40 && name.All(char.IsAsciiLetter) ? $"'{name}'" : "The value";
                Error(at, $"{shown} is not a number class that can be {(reAllow ? "re-allowed" : "denied")} ({string.Join(", ", accepted)}).");
            }
        }

        return classes;
    }

    private ContentRules ReadContent(JsonElement element, string path)
    {
        if (!Properties(element, path, ["maxSegments", "urls", "denyPatterns", "denyPatternTimeoutMs"], [], out var props))
        {
            return ContentRules.Default;
        }

        var maxSegments = props.TryGetValue("maxSegments", out var m)
            ? (int)(Integer(m, $"{path}.maxSegments", 1, ContentRules.MaxMaxSegments) ?? ContentRules.DefaultMaxSegments)
            : ContentRules.DefaultMaxSegments;
        var timeout = props.TryGetValue("denyPatternTimeoutMs", out var t)
            ? (int)(Integer(t, $"{path}.denyPatternTimeoutMs", 1, ContentRules.MaxPatternTimeoutMs) ?? ContentRules.DefaultPatternTimeoutMs)
            : ContentRules.DefaultPatternTimeoutMs;

        var mode = UrlMode.Deny;
        var domains = new List<string>();
        if (props.TryGetValue("urls", out var u) && Properties(u, $"{path}.urls", ["mode", "domains"], ["mode"], out var urls))
        {
            switch (String(urls["mode"], $"{path}.urls.mode"))
            {
                case "deny":
                    if (urls.ContainsKey("domains"))
                    {
                        Error($"{path}.urls.domains", "domains apply only with mode \"allowList\".");
                    }

                    break;
                case "allowList":
                    mode = UrlMode.AllowList;
                    if (!urls.TryGetValue("domains", out var list))
                    {
                        Error($"{path}.urls", "missing required property 'domains' (mode \"allowList\").");
                        break;
                    }

                    foreach (var (domain, at) in Strings(list, $"{path}.urls.domains"))
                    {
                        if (!IsPlainDomain(domain))
                        {
                            Error(at, $"'{domain}' is not a lower-case ASCII domain name such as example.com.");
                        }
                        else if (_shorteners.Contains(domain))
                        {
                            Error(at, $"'{domain}' is a public URL shortener; shorteners are always denied.");
                        }
                        else
                        {
                            domains.Add(domain);
                        }
                    }

                    break;
                case { } other:
                    Error($"{path}.urls.mode", $"'{other}' is not a URL mode (\"deny\" or \"allowList\").");
                    break;
            }
        }

        var patterns = new List<Regex>();
        if (props.TryGetValue("denyPatterns", out var p))
        {
            foreach (var (pattern, at) in Strings(p, $"{path}.denyPatterns"))
            {
                try
                {
                    patterns.Add(new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(timeout)));
                }
                catch (ArgumentException)
                {
                    Error(at, "not a valid .NET regular expression.");
                }
            }
        }

        return new ContentRules(maxSegments, mode, domains, patterns);
    }

    private DeclaredQuotas ReadQuotas(JsonElement element, string path)
    {
        string[] known = ["messagesPerMinute", "messagesPerHour", "messagesPerDay", "messagesPerMonth", "segmentsPerDay", "segmentsPerMonth",
            "perRecipientPerDay", "perPrefixPerDay", "spendPerDay", "spendPerMonth"];
        if (!Properties(element, path, known, [], out var props))
        {
            return DeclaredQuotas.None;
        }

        long? Count(string name) => props.TryGetValue(name, out var v) ? Integer(v, $"{path}.{name}", 1, MaxCount) : null;
        decimal? Spend(string name) => props.TryGetValue(name, out var v) ? Amount(v, $"{path}.{name}", positive: true, MaxSpend) : null;
        var quotas = new DeclaredQuotas
        {
            MessagesPerMinute = Count("messagesPerMinute"),
            MessagesPerHour = Count("messagesPerHour"),
            MessagesPerDay = Count("messagesPerDay"),
            MessagesPerMonth = Count("messagesPerMonth"),
            SegmentsPerDay = Count("segmentsPerDay"),
            SegmentsPerMonth = Count("segmentsPerMonth"),
            PerRecipientPerDay = Count("perRecipientPerDay"),
            PerPrefixPerDay = Count("perPrefixPerDay"),
            SpendPerDay = Spend("spendPerDay"),
            SpendPerMonth = Spend("spendPerMonth"),
        };

        // A shorter window above a longer one can never be reached: almost certainly a typo.
        NotAbove(quotas.MessagesPerMinute, quotas.MessagesPerHour, path, "messagesPerMinute", "messagesPerHour");
        NotAbove(quotas.MessagesPerHour, quotas.MessagesPerDay, path, "messagesPerHour", "messagesPerDay");
        NotAbove(quotas.MessagesPerDay, quotas.MessagesPerMonth, path, "messagesPerDay", "messagesPerMonth");
        NotAbove(quotas.SegmentsPerDay, quotas.SegmentsPerMonth, path, "segmentsPerDay", "segmentsPerMonth");
        NotAbove(quotas.SpendPerDay, quotas.SpendPerMonth, path, "spendPerDay", "spendPerMonth");
        return quotas;
    }

    private GlobalQuotas ReadGlobal(JsonElement element, string path)
    {
        if (!Properties(element, path, ["messagesPerDay", "spendPerDay", "spendPerMonth"], [], out var props))
        {
            return GlobalQuotas.None;
        }

        var global = new GlobalQuotas
        {
            MessagesPerDay = props.TryGetValue("messagesPerDay", out var m) ? Integer(m, $"{path}.messagesPerDay", 1, MaxCount) : null,
            SpendPerDay = props.TryGetValue("spendPerDay", out var d) ? Amount(d, $"{path}.spendPerDay", positive: true, MaxSpend) : null,
            SpendPerMonth = props.TryGetValue("spendPerMonth", out var mo) ? Amount(mo, $"{path}.spendPerMonth", positive: true, MaxSpend) : null,
        };
        NotAbove(global.SpendPerDay, global.SpendPerMonth, path, "spendPerDay", "spendPerMonth");
        return global;
    }

    private PriceList ReadPricing(JsonElement element, string path)
    {
        if (!Properties(element, path, ["currency", "perSegment"], [], out var props))
        {
            return PriceList.Empty;
        }

        var currency = PriceList.DefaultCurrency;
        if (props.TryGetValue("currency", out var c) && String(c, $"{path}.currency") is { } code)
        {
            if (code.Length == 3 && code.All(char.IsAsciiLetterUpper))
            {
                currency = code;
            }
            else
            {
                Error($"{path}.currency", $"'{code}' is not an ISO 4217 currency code (three upper-case letters, such as USD).");
            }
        }

        var prices = new Dictionary<string, decimal>(StringComparer.Ordinal);
        if (props.TryGetValue("perSegment", out var p))
        {
            foreach (var (region, value) in Members(p, $"{path}.perSegment"))
            {
                var at = $"{path}.perSegment.{region}";
                if (!PhoneMetadata.IsKnownRegion(region))
                {
                    Error(at, $"'{region}' is not an ISO 3166-1 alpha-2 code (upper case) with a calling code, nor \"{NonGeographic}\".");
                }
                else if (Amount(value, at, positive: false, MaxPrice) is { } price)
                {
                    prices[region] = price;
                }
            }
        }

        return new PriceList(currency, prices.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private void NotAbove<T>(T? shorter, T? longer, string path, string shorterName, string longerName)
        where T : struct, IComparable<T>
    {
        if (shorter is { } s && longer is { } l && s.CompareTo(l) > 0)
        {
            Error($"{path}.{shorterName}", $"must not exceed {longerName}.");
        }
    }

    private PhoneNumber? ReadNumber(JsonElement element, string path)
    {
        if (String(element, path) is not { } text)
        {
            return null;
        }

        if (PhoneNumberParser.TryParse(text, out var number, out var error))
        {
            return number;
        }

        // The error names the field and the kind of fault, never the number itself.
        Error(path, $"not a valid E.164 number ({error}): {error.Describe()}");
        return null;
    }

    private List<string> ReadNames(JsonElement element, string path, string what)
    {
        var names = new List<string>();
        foreach (var (name, at) in Strings(element, path))
        {
            if (PolicyRecipient.IsValidName(name))
            {
                names.Add(name);
            }
            else
            {
                Error(at, $"not a valid {what} name (1-64 of a-z, 0-9, '-', '_', '.').");
            }
        }

        return names;
    }

    private static bool IsPlainDomain(string domain)
    {
        var labels = domain.Split('.');
        return domain.Length <= 253
            && labels.Length >= 2
            && labels.All(l => l.Length is >= 1 and <= 63 && l[0] != '-' && l[^1] != '-' && l.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
            && !labels.Any(l => l.StartsWith("xn--", StringComparison.Ordinal))
            && labels[^1].All(char.IsAsciiLetterLower);
    }

    private bool Properties(JsonElement element, string path, string[] known, string[] required, out Dictionary<string, JsonElement> properties)
    {
        properties = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (element.ValueKind != JsonValueKind.Object)
        {
            Error(path, "must be an object.");
            return false;
        }

        var ok = true;
        foreach (var property in element.EnumerateObject())
        {
            if (!known.Contains(property.Name, StringComparer.Ordinal))
            {
                Error(path, $"unknown property '{property.Name}'.");
                ok = false;
            }
            else if (!properties.TryAdd(property.Name, property.Value))
            {
                Error(path, $"duplicate property '{property.Name}'.");
                ok = false;
            }
        }

        var found = properties;
        foreach (var name in required.Where(r => !found.ContainsKey(r)))
        {
            Error(path, $"missing required property '{name}'.");
            ok = false;
        }

        return ok;
    }

    private IEnumerable<(string Name, JsonElement Value)> Members(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            Error(path, "must be an object.");
            yield break;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                Error(path, $"duplicate property '{property.Name}'.");
                continue;
            }

            yield return (property.Name, property.Value);
        }
    }

    private IEnumerable<(JsonElement Value, string Path)> Items(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            Error(path, "must be an array.");
            yield break;
        }

        var i = 0;
        foreach (var item in element.EnumerateArray())
        {
            yield return (item, $"{path}[{i++}]");
        }
    }

    private IEnumerable<(string Value, string Path)> Strings(JsonElement element, string path)
    {
        foreach (var (item, at) in Items(element, path))
        {
            if (String(item, at) is { } value)
            {
                yield return (value, at);
            }
        }
    }

    private ApprovalMode ReadApproval(JsonElement element, string path)
    {
        switch (String(element, path))
        {
            case "none":
                return ApprovalMode.None;
            case "firstContact":
                return ApprovalMode.FirstContact;
            case { } other:
                Error(path, $"'{other}' is not an approval mode (\"none\" or \"firstContact\").");
                return ApprovalMode.None;
            default:
                return ApprovalMode.None;
        }
    }

    private ConfirmMode ReadConfirm(JsonElement element, string path)
    {
        switch (String(element, path))
        {
            case "none":
                return ConfirmMode.None;
            case "client":
                return ConfirmMode.Client;
            case { } other:
                Error(path, $"'{other}' is not a confirmation mode (\"none\" or \"client\").");
                return ConfirmMode.None;
            default:
                return ConfirmMode.None;
        }
    }

    private ConfirmFallback ReadConfirmFallback(JsonElement element, string path)
    {
        switch (String(element, path))
        {
            case "refuse":
                return ConfirmFallback.Refuse;
            case "approval":
                return ConfirmFallback.Approval;
            case { } other:
                Error(path, $"'{other}' is not a confirmation fallback (\"refuse\" or \"approval\").");
                return ConfirmFallback.Refuse;
            default:
                return ConfirmFallback.Refuse;
        }
    }

    private LookupRules ReadLookup(JsonElement element, string path)
    {
        if (!Properties(element, path, ["mode", "blockLineTypes", "maxSmsPumpingRisk", "onUnavailable", "maxPerDay"], [], out var props))
        {
            return LookupRules.Off;
        }

        var mode = LookupMode.Off;
        if (props.TryGetValue("mode", out var m))
        {
            switch (String(m, $"{path}.mode"))
            {
                case "off":
                    break;
                case "firstContact":
                    mode = LookupMode.FirstContact;
                    break;
                case { } other:
                    Error($"{path}.mode", $"'{other}' is not a lookup mode (\"off\" or \"firstContact\").");
                    break;
            }
        }

        var blocked = LookupRules.DefaultBlockedLineTypes;
        if (props.TryGetValue("blockLineTypes", out var b))
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (name, at) in Strings(b, $"{path}.blockLineTypes"))
            {
                if (LookupRules.KnownLineTypes.Contains(name))
                {
                    names.Add(name);
                }
                else
                {
                    Error(at, $"'{name}' is not a Twilio Lookup line type ({string.Join(", ", LookupRules.KnownLineTypes.Order(StringComparer.Ordinal))}).");
                }
            }

            blocked = names.ToFrozenSet(StringComparer.Ordinal);
        }

        var maxRisk = props.TryGetValue("maxSmsPumpingRisk", out var r)
            ? (int)(Integer(r, $"{path}.maxSmsPumpingRisk", 0, 100) ?? LookupRules.DefaultMaxSmsPumpingRisk)
            : LookupRules.DefaultMaxSmsPumpingRisk;

        var fallback = LookupFallback.Refuse;
        if (props.TryGetValue("onUnavailable", out var u))
        {
            switch (String(u, $"{path}.onUnavailable"))
            {
                case "refuse":
                    break;
                case "allow":
                    fallback = LookupFallback.Allow;
                    break;
                case { } other:
                    Error($"{path}.onUnavailable", $"'{other}' is not a choice (\"refuse\" or \"allow\").");
                    break;
            }
        }

        var maxPerDay = props.TryGetValue("maxPerDay", out var d)
            ? Integer(d, $"{path}.maxPerDay", 1, LookupRules.MaxMaxPerDay) ?? LookupRules.DefaultMaxPerDay
            : LookupRules.DefaultMaxPerDay;

        return new LookupRules(mode, blocked, maxRisk, fallback, maxPerDay);
    }

    private string? String(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.String && element.GetString() is { Length: > 0 } value)
        {
            return value;
        }

        Error(path, "must be a non-empty string.");
        return null;
    }

    private long? Integer(JsonElement element, string path, long min, long max)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var value) && value >= min && value <= max)
        {
            return value;
        }

        Error(path, string.Create(CultureInfo.InvariantCulture, $"must be an integer from {min} to {max}."));
        return null;
    }

    /// <summary>A money amount: at most six decimals, so spend is exact in integer micro-units.</summary>
    private decimal? Amount(JsonElement element, string path, bool positive, decimal max)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetDecimal(out var value)
            && (positive ? value > 0 : value >= 0) && value <= max && decimal.Round(value, MoneyDecimals) == value)
        {
            return value;
        }

        var range = positive ? "greater than 0" : "0 or more";
        Error(path, string.Create(CultureInfo.InvariantCulture, $"must be a number {range} and at most {max}, with at most {MoneyDecimals} decimals."));
        return null;
    }

    private void Error(string path, string message) => _errors.Add($"{path}: {message}");
}
