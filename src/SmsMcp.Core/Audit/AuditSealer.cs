using System.Collections.Frozen;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SmsMcp.Core.Audit;

/// <summary>
/// Computes the keyed seals (HMAC-SHA256) that make the audit trail tamper-evident.
/// </summary>
/// <remarks>
/// <para>
/// Design. Records are written concurrently by many instances, and each record twice (attempt, then completion).
/// One global hash chain would need a chain-head entity that every writer updates with If-Match: one hot entity
/// that serialises every send in the fleet and turns a 412 storm into refused sends. Instead:
/// </para>
/// <list type="number">
/// <item><b>Per-writer, per-day chains.</b> Every <see cref="AuditLog"/> instance is a writer with a random id and
/// keeps, in memory, one chain per day partition. Each record gets the next sequence number of its chain and the
/// seal of its predecessor (<c>SealPrev</c>). No two writers share a chain head, so nothing is coordinated through
/// storage, and a day partition can be verified on its own (each chain starts at 1 in every day).</item>
/// <item><b>The attempt seal</b> (<c>Seal</c>) covers what never changes after the write-ahead: partition, row key,
/// writer, sequence, predecessor and every stored property except the outcome fields. It is what the chain links.</item>
/// <item><b>The outcome seal</b> (<c>OutcomeSeal</c>) covers the outcome fields (stage, decision, reason code,
/// segments, completion time) bound to the attempt seal; it is rewritten on completion, so completing never
/// touches the chain.</item>
/// </list>
/// <para>
/// What the verifier can then tell apart: an attempt seal that fails while the outcome seal (which binds the stored
/// attempt seal) holds means the seal value is genuine and the sealed content was edited; a failing outcome seal alone
/// means an outcome field was edited; content whose seal holds under another row key was moved (reordered); a record
/// neither seal vouches for was inserted (without the key nobody can make one); a gap in a chain is a deletion.
/// </para>
/// <para>Security: the key never leaves this object and is never logged. Anyone holding it can forge seals, so it is
/// a secret like the pseudonymization key (by default it is derived from that key with its own purpose label).</para>
/// </remarks>
public sealed class AuditSealer
{
    /// <summary>Shortest key accepted: 256 bits.</summary>
    public const int MinimumKeyBytes = 32;

    internal const string WriterProperty = "SealWriter";
    internal const string SequenceProperty = "SealSeq";
    internal const string PreviousProperty = "SealPrev";
    internal const string SealProperty = "Seal";
    internal const string OutcomeSealProperty = "OutcomeSeal";

    // HKDF "info": a key derived for sealing can never collide with a pseudonym made from the same base key.
    private static ReadOnlySpan<byte> DerivationLabel => "smsmcp/audit-seal/v1"u8;

    private static readonly FrozenSet<string> SealProperties =
        FrozenSet.Create(StringComparer.Ordinal, WriterProperty, SequenceProperty, PreviousProperty, SealProperty, OutcomeSealProperty);

    private static readonly FrozenSet<string> OutcomeProperties =
        FrozenSet.Create(StringComparer.Ordinal, "Stage", "Decision", "ReasonCode", "Segments", "CompletedAt");

    private readonly byte[] _key;

    public AuditSealer(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < MinimumKeyBytes)
        {
            throw new ArgumentException($"The audit seal key must be at least {MinimumKeyBytes} bytes.", nameof(key));
        }

        _key = key.ToArray();
    }

    /// <summary>A sealer whose key is derived (HKDF-SHA256, own purpose label) from the pseudonymization key.</summary>
    public static AuditSealer FromPseudonymizationKey(byte[] pseudonymizationKey)
    {
        ArgumentNullException.ThrowIfNull(pseudonymizationKey);
        var key = new byte[MinimumKeyBytes];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, pseudonymizationKey, key, salt: [], info: DerivationLabel);
        return new AuditSealer(key);
    }

    /// <summary>True for the properties the seals live in (they are not part of the sealed content).</summary>
    internal static bool IsSealProperty(string name) => SealProperties.Contains(name);

    /// <summary>The attempt seal: the record's identity, its chain link and its immutable content.</summary>
    internal string AttemptSeal(string partitionKey, string rowKey, AuditChainLink link, IReadOnlyDictionary<string, object> properties)
    {
        using var mac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        Append(mac, "attempt/v1");
        Append(mac, partitionKey);
        Append(mac, rowKey);
        Append(mac, link.Writer);
        Append(mac, link.Sequence.ToString(CultureInfo.InvariantCulture));
        Append(mac, link.Previous);
        AppendProperties(mac, properties, outcome: false);
        return Convert.ToHexStringLower(mac.GetHashAndReset());
    }

    /// <summary>The outcome seal: the outcome fields, bound to the stored attempt seal.</summary>
    internal string OutcomeSeal(string attemptSeal, IReadOnlyDictionary<string, object> properties)
    {
        using var mac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        Append(mac, "outcome/v1");
        Append(mac, attemptSeal);
        AppendProperties(mac, properties, outcome: true);
        return Convert.ToHexStringLower(mac.GetHashAndReset());
    }

    /// <summary>
    /// The seal of a published head checkpoint: its place in the head log's own chain and every head it lists. Its own
    /// purpose label keeps it from ever equalling a record's seal.
    /// </summary>
    internal string HeadSeal(AuditHeadCheckpoint checkpoint)
    {
        using var mac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        Append(mac, "head/v1");
        Append(mac, checkpoint.Sequence.ToString(CultureInfo.InvariantCulture));
        Append(mac, checkpoint.Previous);
        Append(mac, checkpoint.PublishedAt.UtcTicks.ToString(CultureInfo.InvariantCulture));
        Append(mac, checkpoint.Day.DayNumber.ToString(CultureInfo.InvariantCulture));
        Append(mac, checkpoint.Heads.Count.ToString(CultureInfo.InvariantCulture));
        foreach (var head in checkpoint.Heads)
        {
            Append(mac, head.Writer);
            Append(mac, head.Count.ToString(CultureInfo.InvariantCulture));
            Append(mac, head.LastRecordId);
            Append(mac, head.LastSeal);
        }

        return Convert.ToHexStringLower(mac.GetHashAndReset());
    }

    /// <summary>Constant-time comparison, so a verifier exposed later cannot be used as a seal-guessing oracle.</summary>
    internal static bool Matches(string? stored, string expected) =>
        stored is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(stored), Encoding.ASCII.GetBytes(expected));

    // Canonical form: properties in ordinal name order, each as name, type tag and invariant value, every piece length-prefixed,
    // so no two different property sets encode alike and a property added by hand changes the seal too.
    private static void AppendProperties(IncrementalHash mac, IReadOnlyDictionary<string, object> properties, bool outcome)
    {
        foreach (var name in properties.Keys.Where(n => !IsSealProperty(n) && OutcomeProperties.Contains(n) == outcome).Order(StringComparer.Ordinal))
        {
            var (tag, text) = properties[name] switch
            {
                string s => ("s", s),
                int i => ("i", i.ToString(CultureInfo.InvariantCulture)),
                long l => ("l", l.ToString(CultureInfo.InvariantCulture)),
                double d => ("d", d.ToString("R", CultureInfo.InvariantCulture)),
                bool b => ("b", b ? "1" : "0"),
                DateTimeOffset t => ("t", t.UtcTicks.ToString(CultureInfo.InvariantCulture)),
                Guid g => ("g", g.ToString("N")),
                byte[] bytes => ("x", Convert.ToHexStringLower(bytes)),
                var other => ("?", other.GetType().Name),
            };
            Append(mac, name);
            Append(mac, tag);
            Append(mac, text);
        }
    }

    private static void Append(IncrementalHash mac, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        Span<byte> length = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
        mac.AppendData(length);
        mac.AppendData(bytes);
    }
}
