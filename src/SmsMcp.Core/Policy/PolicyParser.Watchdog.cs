using System.Collections.Frozen;
using System.Text.Json;

namespace SmsMcp.Core.Policy;

/// <summary>The <c>watchdog</c> section: thresholds of the anomaly detectors, each optional with a working default.</summary>
internal sealed partial class PolicyParser
{
    private WatchdogRules _watchdog = WatchdogRules.Default;

    private WatchdogRules ReadWatchdog(JsonElement element, string path)
    {
        var rules = WatchdogRules.Default;
        if (!Properties(element, path, ["description", "critical", "cooldownMinutes", "onCall", "volume", "countries", "spend", "pumping", "undelivered", "refusals", "approvals", "heartbeat"], [], out var props))
        {
            return rules;
        }

        if (props.TryGetValue("critical", out var critical))
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (name, at) in Strings(critical, $"{path}.critical"))
            {
                if (WatchdogRule.All.Contains(name))
                {
                    names.Add(name);
                }
                else
                {
                    Error(at, $"'{name}' is not a watchdog rule ({string.Join(", ", WatchdogRule.All)}).");
                }
            }

            rules = rules with { Critical = names.ToFrozenSet(StringComparer.Ordinal) };
        }

        if (props.TryGetValue("cooldownMinutes", out var cooldown) && Integer(cooldown, $"{path}.cooldownMinutes", 5, 7 * 24 * 60) is { } minutes)
        {
            rules = rules with { Cooldown = TimeSpan.FromMinutes(minutes) };
        }

        if (props.TryGetValue("onCall", out var onCall) && Properties(onCall, $"{path}.onCall", ["aliases", "maxPerDay"], [], out var call))
        {
            if (call.TryGetValue("aliases", out var aliases))
            {
                var list = new List<string>();
                foreach (var (alias, at) in Strings(aliases, $"{path}.onCall.aliases"))
                {
                    if (!PolicyRecipient.IsValidName(alias))
                    {
                        Error(at, "is not a valid alias.");
                    }
                    else if (!_recipients.ContainsKey(alias))
                    {
                        Error(at, $"'{alias}' is not in recipients.");
                    }
                    else if (!list.Contains(alias))
                    {
                        list.Add(alias);
                    }
                }

                rules = rules with { OnCallAliases = list };
            }

            rules = rules with { OnCallMaxPerDay = Optional(call, "maxPerDay", $"{path}.onCall", 1, 1000) ?? rules.OnCallMaxPerDay };
        }

        if (props.TryGetValue("volume", out var volume) && Properties(volume, $"{path}.volume", ["floor", "ratio", "madMultiplier", "baselineDays", "confirm", "window"], [], out var v))
        {
            var at = $"{path}.volume";
            rules = rules with
            {
                VolumeFloor = Optional(v, "floor", at, 1, MaxCount) ?? rules.VolumeFloor,
                VolumeRatio = Optional(v, "ratio", at, 2, 100) ?? rules.VolumeRatio,
                VolumeMadMultiplier = Optional(v, "madMultiplier", at, 1, 100) ?? rules.VolumeMadMultiplier,
                VolumeBaselineDays = (int)(Optional(v, "baselineDays", at, 3, 28) ?? rules.VolumeBaselineDays),
                VolumeConfirm = (int)(Optional(v, "confirm", at, 1, 12) ?? rules.VolumeConfirm),
                VolumeWindow = (int)(Optional(v, "window", at, 1, 12) ?? rules.VolumeWindow),
            };
            if (rules.VolumeConfirm > rules.VolumeWindow)
            {
                Error($"{at}.confirm", "must not be greater than window.");
            }
        }

        if (props.TryGetValue("countries", out var countries) && Properties(countries, $"{path}.countries", ["alertOnNew", "highCost", "highCostPricePerSegment"], [], out var c))
        {
            if (c.TryGetValue("alertOnNew", out var alertOnNew))
            {
                if (alertOnNew.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    rules = rules with { AlertOnNewCountry = alertOnNew.GetBoolean() };
                }
                else
                {
                    Error($"{path}.countries.alertOnNew", "must be true or false.");
                }
            }

            if (c.TryGetValue("highCost", out var highCost))
            {
                rules = rules with { HighCostCountries = ReadCountries(highCost, $"{path}.countries.highCost") };
            }

            if (c.TryGetValue("highCostPricePerSegment", out var price) && Amount(price, $"{path}.countries.highCostPricePerSegment", positive: true, MaxPrice) is { } threshold)
            {
                rules = rules with { HighCostPricePerSegment = threshold };
            }
        }

        if (props.TryGetValue("spend", out var spend) && Properties(spend, $"{path}.spend", ["horizonMinutes"], [], out var s)
            && Optional(s, "horizonMinutes", $"{path}.spend", 5, 24 * 60) is { } horizon)
        {
            rules = rules with { SpendHorizon = TimeSpan.FromMinutes(horizon) };
        }

        if (props.TryGetValue("pumping", out var pumping) && Properties(pumping, $"{path}.pumping", ["distinctPerPrefix", "adjacentRun", "blockedErrors"], [], out var p))
        {
            rules = rules with
            {
                PumpingDistinctPerPrefix = (int)(Optional(p, "distinctPerPrefix", $"{path}.pumping", 2, 100) ?? rules.PumpingDistinctPerPrefix),
                PumpingAdjacentRun = (int)(Optional(p, "adjacentRun", $"{path}.pumping", 2, 100) ?? rules.PumpingAdjacentRun),
                PumpingBlockedErrors = Optional(p, "blockedErrors", $"{path}.pumping", 1, MaxCount) ?? rules.PumpingBlockedErrors,
            };
        }

        if (props.TryGetValue("undelivered", out var undelivered) && Properties(undelivered, $"{path}.undelivered", ["sharePercent", "minSettled"], [], out var u))
        {
            rules = rules with
            {
                UndeliveredSharePercent = (int)(Optional(u, "sharePercent", $"{path}.undelivered", 1, 100) ?? rules.UndeliveredSharePercent),
                UndeliveredMinSettled = Optional(u, "minSettled", $"{path}.undelivered", 1, MaxCount) ?? rules.UndeliveredMinSettled,
            };
        }

        if (props.TryGetValue("refusals", out var refusals) && Properties(refusals, $"{path}.refusals", ["perPeriod"], [], out var r))
        {
            rules = rules with { RefusalsPerPeriod = Optional(r, "perPeriod", $"{path}.refusals", 1, MaxCount) ?? rules.RefusalsPerPeriod };
        }

        if (props.TryGetValue("approvals", out var approvals) && Properties(approvals, $"{path}.approvals", ["maxPending"], [], out var a))
        {
            rules = rules with { MaxPendingApprovals = (int)(Optional(a, "maxPending", $"{path}.approvals", 1, 1000) ?? rules.MaxPendingApprovals) };
        }

        if (props.TryGetValue("heartbeat", out var heartbeat) && Properties(heartbeat, $"{path}.heartbeat", ["maxSilenceMinutes"], [], out var h)
            && Optional(h, "maxSilenceMinutes", $"{path}.heartbeat", 5, 24 * 60) is { } silence)
        {
            rules = rules with { MaxSilence = TimeSpan.FromMinutes(silence) };
        }

        return rules;
    }

    private long? Optional(Dictionary<string, JsonElement> props, string name, string path, long min, long max) =>
        props.TryGetValue(name, out var value) ? Integer(value, $"{path}.{name}", min, max) : null;
}
