using System.Text.Json;
using System.Text.Json.Nodes;
using SmsMcp.Cli.Output;
using Spectre.Console;

namespace SmsMcp.Cli.Policy;

/// <summary>
/// <c>policy diff</c>: what changes for each caller between two valid policies — callers added or removed, a caller
/// moved to another profile, and every field of its profile that changes (<c>profile.content.maxSegments: 10 → 2</c>).
/// Sections every caller shares (recipients, global quotas, pricing, watchdog) are listed once under <c>*</c>.
/// </summary>
internal static class PolicyDiff
{
    public const string AllCallers = "*";

    private static readonly string[] SharedSections = ["recipients", "global", "pricing", "watchdog"];

    // Values are shown as written: "+1202…", not "\u002B1202…".
    private static readonly JsonSerializerOptions ShowOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonDocumentOptions ReadOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public static int Run(CliContext context, FileInfo oldFile, FileInfo newFile, bool json)
    {
        var before = PolicyFile.Read(oldFile);
        var after = PolicyFile.Read(newFile);
        var changes = Compare(Node(before), Node(after), before.Valid.Callers, after.Valid.Callers);
        var exitCode = ExitCodes.Ok;
        if (json)
        {
            return JsonAnswer.Write(context, "policy diff", exitCode, new PolicyDiffResult(oldFile.Name, newFile.Name, before.Valid.Version == after.Valid.Version, changes));
        }

        if (changes.Count == 0)
        {
            context.Console.MarkupLine($"[green]No change for any caller[/] between {Markup.Escape(oldFile.Name)} and {Markup.Escape(newFile.Name)}.");
            return exitCode;
        }

        var table = new Table().Title($"{Markup.Escape(oldFile.Name)} → {Markup.Escape(newFile.Name)}")
            .AddColumn("Caller").AddColumn("Field").AddColumn("Before").AddColumn("After");
        foreach (var change in changes)
        {
            table.AddRow(Markup.Escape(change.Caller), Markup.Escape(change.Field),
                change.Before is null ? "[grey](none)[/]" : $"[red]{Markup.Escape(change.Before)}[/]",
                change.After is null ? "[grey](none)[/]" : $"[green]{Markup.Escape(change.After)}[/]");
        }

        context.Console.Write(table);
        return exitCode;
    }

    internal static List<PolicyChange> Compare(JsonNode before, JsonNode after, IReadOnlyDictionary<string, string> oldCallers, IReadOnlyDictionary<string, string> newCallers)
    {
        var changes = new List<PolicyChange>();
        foreach (var section in SharedSections)
        {
            AddLeafChanges(changes, AllCallers, section, Leaves(before[section], section), Leaves(after[section], section));
        }

        foreach (var caller in oldCallers.Keys.Union(newCallers.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var oldProfile = oldCallers.GetValueOrDefault(caller);
            var newProfile = newCallers.GetValueOrDefault(caller);
            if (oldProfile != newProfile)
            {
                changes.Add(new PolicyChange(caller, "profile", oldProfile, newProfile));
            }

            var oldLeaves = oldProfile is null ? [] : Leaves(before["profiles"]?[oldProfile], "profile");
            var newLeaves = newProfile is null ? [] : Leaves(after["profiles"]?[newProfile], "profile");
            AddLeafChanges(changes, caller, "profile", oldLeaves, newLeaves);
        }

        return changes;
    }

    private static void AddLeafChanges(List<PolicyChange> changes, string caller, string root, Dictionary<string, string> before, Dictionary<string, string> after)
    {
        foreach (var path in before.Keys.Union(after.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var b = before.GetValueOrDefault(path);
            var a = after.GetValueOrDefault(path);
            if (b != a)
            {
                changes.Add(new PolicyChange(caller, path, b, a));
            }
        }
    }

    /// <summary>Every scalar of a section by path; arrays of scalars are one value (order kept: patterns are ordered).</summary>
    private static Dictionary<string, string> Leaves(JsonNode? node, string path)
    {
        var leaves = new Dictionary<string, string>(StringComparer.Ordinal);
        void Walk(JsonNode? n, string at)
        {
            switch (n)
            {
                case null:
                    return;
                case JsonObject o:
                    foreach (var (name, child) in o)
                    {
                        Walk(child, at + "." + name);
                    }

                    return;
                case JsonArray a when a.All(x => x is JsonValue or null):
                    leaves[at] = a.ToJsonString(ShowOptions);
                    return;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++)
                    {
                        Walk(a[i], $"{at}[{i}]");
                    }

                    return;
                default:
                    leaves[at] = n.ToJsonString(ShowOptions);
                    return;
            }
        }

        Walk(node, path);
        return leaves;
    }

    private static JsonNode Node(PolicyFile file) =>
        JsonNode.Parse(file.Bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? file.Bytes[3..] : file.Bytes, documentOptions: ReadOptions)
        ?? new JsonObject();
}

/// <summary>One changed field for a caller (<c>*</c>: every caller); null Before/After means absent.</summary>
internal sealed record PolicyChange(string Caller, string Field, string? Before, string? After);

internal sealed record PolicyDiffResult(string Old, string New, bool Identical, IReadOnlyList<PolicyChange> Changes);
