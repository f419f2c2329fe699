using ModelContextProtocol.Protocol;

namespace SmsMcp.Cli.Verify;

/// <summary>
/// The fixed tool surface an agent must see, each with the hints clients rely on to ask a human before acting: only
/// <c>send_sms</c> touches the world (not read-only, open world, not idempotent).
/// </summary>
internal static class ExpectedTools
{
    public static readonly IReadOnlyDictionary<string, Hints> All = new Dictionary<string, Hints>(StringComparer.Ordinal)
    {
        ["send_sms"] = new(ReadOnly: false, Destructive: false, Idempotent: false, OpenWorld: true),
        ["preview_sms"] = new(ReadOnly: true, Destructive: false, Idempotent: true, OpenWorld: false),
        ["list_recipients"] = new(ReadOnly: true, Destructive: false, Idempotent: true, OpenWorld: false),
        ["get_message_status"] = new(ReadOnly: true, Destructive: false, Idempotent: true, OpenWorld: false),
        ["get_usage"] = new(ReadOnly: true, Destructive: false, Idempotent: true, OpenWorld: false),
    };

    /// <summary>Every difference between the listed tools and the expected set, as short sentences (empty: exactly right).</summary>
    public static List<string> Differences(IEnumerable<Tool> tools)
    {
        var problems = new List<string>();
        var listed = tools.ToDictionary(t => t.Name, StringComparer.Ordinal);
        problems.AddRange(All.Keys.Where(name => !listed.ContainsKey(name)).Select(name => $"{name} missing"));
        problems.AddRange(listed.Keys.Where(name => !All.ContainsKey(name)).Order(StringComparer.Ordinal).Select(name => $"unexpected tool {Safe(name)}"));
        foreach (var (name, expected) in All)
        {
            if (listed.TryGetValue(name, out var tool))
            {
                var a = tool.Annotations;
                var actual = new Hints(a?.ReadOnlyHint, a?.DestructiveHint, a?.IdempotentHint, a?.OpenWorldHint);
                if (actual != expected)
                {
                    problems.Add($"{name} hints {actual} (expected {expected})");
                }
            }
        }

        return problems;
    }

    /// <summary>Tool names come from the server: keep them printable and short in our output.</summary>
    private static string Safe(string name) => new(name.Where(c => c is >= ' ' and < '\u007f').Take(64).ToArray());

    internal sealed record Hints(bool? ReadOnly, bool? Destructive, bool? Idempotent, bool? OpenWorld)
    {
        public override string ToString() => $"readOnly={ReadOnly}, destructive={Destructive}, idempotent={Idempotent}, openWorld={OpenWorld}";
    }
}
