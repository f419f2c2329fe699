using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SmsMcp.Core.Audit;

/// <summary>
/// One published entry of the head log: the chain heads of every writer of one audit day as they stood at
/// <see cref="PublishedAt"/>. Checkpoints form a chain of their own (<see cref="Sequence"/> counts from 1,
/// <see cref="Previous"/> is the seal of the checkpoint before), sealed with the audit seal key, so a checkpoint removed
/// from the middle of the log, edited or forged is named by <see cref="AuditVerifier"/>.
/// </summary>
public sealed record AuditHeadCheckpoint(long Sequence, string Previous, DateTimeOffset PublishedAt, DateOnly Day, IReadOnlyList<AuditChainHead> Heads)
{
    /// <summary>The checkpoint's seal (<see cref="AuditSealer"/>); empty until sealed.</summary>
    public string Seal { get; init; } = "";

    /// <summary>How the verifier and the CLI name a checkpoint.</summary>
    public string Name => "head #" + Sequence.ToString(CultureInfo.InvariantCulture);

    /// <summary>One JSON line, the form the head log stores.</summary>
    public string ToJsonLine() => new JsonObject
    {
        ["v"] = 1,
        ["seq"] = Sequence,
        ["prev"] = Previous,
        ["publishedAt"] = PublishedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        ["day"] = Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["heads"] = new JsonArray([.. Heads.Select(h => (JsonNode)new JsonObject
        {
            ["writer"] = h.Writer,
            ["count"] = h.Count,
            ["last"] = h.LastRecordId,
            ["seal"] = h.LastSeal,
        })]),
        ["seal"] = Seal,
    }.ToJsonString();

    /// <summary>Reads a line written by <see cref="ToJsonLine"/>; null when it is not one (the verifier names such a line).</summary>
    public static AuditHeadCheckpoint? TryParse(string line)
    {
        try
        {
            if (JsonNode.Parse(line) is not JsonObject o || o["v"]?.GetValue<int>() != 1)
            {
                return null;
            }

            var heads = o["heads"]!.AsArray().Select(h => new AuditChainHead(
                h!["writer"]!.GetValue<string>(), h["count"]!.GetValue<long>(), h["last"]!.GetValue<string>(), h["seal"]!.GetValue<string>())).ToList();
            return new AuditHeadCheckpoint(
                o["seq"]!.GetValue<long>(),
                o["prev"]!.GetValue<string>(),
                DateTimeOffset.Parse(o["publishedAt"]!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
                DateOnly.ParseExact(o["day"]!.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                heads)
            {
                Seal = o["seal"]!.GetValue<string>(),
            };
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or NullReferenceException or ArgumentException)
        {
            return null;
        }
    }
}
