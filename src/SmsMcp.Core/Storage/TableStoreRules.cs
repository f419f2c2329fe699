using System.Buffers;

namespace SmsMcp.Core.Storage;

/// <summary>
/// The limits Azure Table Storage puts on table names, keys and property values. Every backend checks
/// them before it touches storage, so whatever works against the embedded store also works in production.
/// Messages name the offending argument or property, never a key's or a property's value.
/// </summary>
internal static class TableStoreRules
{
    /// <summary>Longest partition or row key, in UTF-16 code units.</summary>
    public const int MaxKeyLength = 1024;

    public const int MaxPropertyNameLength = 255;

    /// <summary>Table Storage allows 255 properties including PartitionKey, RowKey and Timestamp.</summary>
    public const int MaxProperties = 252;

    /// <summary>Table Storage holds strings of up to 64 KiB of UTF-16.</summary>
    public const int MaxStringLength = 32 * 1024;

    public const int MaxBinaryLength = 64 * 1024;

    public const int MaxPageSize = 1000;

    /// <summary>Table Storage takes at most 100 operations in one entity group transaction.</summary>
    public const int MaxTransactionWrites = 100;

    /// <summary>The ETag value that matches any existing entity.</summary>
    public const string AnyETag = "*";

    /// <summary>Table Storage's Edm.DateTime cannot go below the Windows FILETIME epoch.</summary>
    public static readonly DateTimeOffset MinDateTime = new(1601, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly SearchValues<char> AsciiLettersAndDigits =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");

    private static readonly string[] ReservedPropertyNames = ["PartitionKey", "RowKey", "Timestamp", "ETag"];

    public static void ValidateTableName(string table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var valid = table.Length is >= 3 and <= 63
            && char.IsAsciiLetter(table[0])
            && !table.AsSpan(1).ContainsAnyExcept(AsciiLettersAndDigits)
            && !string.Equals(table, "tables", StringComparison.OrdinalIgnoreCase);
        if (!valid)
        {
            throw new ArgumentException(
                "A table name must be 3 to 63 ASCII letters or digits, start with a letter and not be 'tables'.", nameof(table));
        }
    }

    public static void ValidateKey(string key, string keyName, string paramName)
    {
        if (key is null)
        {
            throw new ArgumentNullException(paramName, $"{keyName} is required.");
        }

        if (key.Length > MaxKeyLength)
        {
            throw new ArgumentException($"{keyName} is longer than {MaxKeyLength} characters.", paramName);
        }

        foreach (var c in key)
        {
            if (c is '/' or '\\' or '#' or '?' || char.IsControl(c))
            {
                throw new ArgumentException(
                    $"{keyName} contains a character Table Storage does not allow in keys ('/', '\\', '#', '?' or a control character).", paramName);
            }
        }

        if (!IsWellFormedUtf16(key))
        {
            throw new ArgumentException($"{keyName} contains an unpaired UTF-16 surrogate.", paramName);
        }
    }

    /// <summary>The table and the two keys that address one entity.</summary>
    public static void ValidateAddress(string table, string partitionKey, string rowKey)
    {
        ValidateTableName(table);
        ValidateKey(partitionKey, nameof(TableEntity.PartitionKey), nameof(partitionKey));
        ValidateKey(rowKey, nameof(TableEntity.RowKey), nameof(rowKey));
    }

    /// <summary>Everything a partition range query takes, except the continuation token, whose format is the backend's.</summary>
    public static void ValidateQuery(string table, string partitionKey, string? rowKeyFrom, string? rowKeyTo, int maxPerPage)
    {
        ValidateTableName(table);
        ValidateKey(partitionKey, nameof(TableEntity.PartitionKey), nameof(partitionKey));
        ValidateBound(rowKeyFrom, nameof(rowKeyFrom));
        ValidateBound(rowKeyTo, nameof(rowKeyTo));
        ValidateMaxPerPage(maxPerPage);
    }

    /// <summary>Range bounds are compared, never stored, so they only need to survive the trip to UTF-8 unchanged.</summary>
    public static void ValidateBound(string? bound, string paramName)
    {
        if (bound is not null && !IsWellFormedUtf16(bound))
        {
            throw new ArgumentException("The row-key bound contains an unpaired UTF-16 surrogate.", paramName);
        }
    }

    public static void ValidateIfMatch(string ifMatch)
    {
        ArgumentException.ThrowIfNullOrEmpty(ifMatch);
    }

    public static void ValidateMaxPerPage(int maxPerPage)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPerPage, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxPerPage, MaxPageSize);
    }

    /// <summary>
    /// An entity group transaction: 1 to <see cref="MaxTransactionWrites"/> writes, one partition, each entity once,
    /// each write valid on its own. Messages name the write's position, never a key.
    /// </summary>
    public static void ValidateTransaction(string table, IReadOnlyList<TableWrite> writes)
    {
        ValidateTableName(table);
        ArgumentNullException.ThrowIfNull(writes);
        if (writes.Count is 0 or > MaxTransactionWrites)
        {
            throw new ArgumentException($"A transaction holds 1 to {MaxTransactionWrites} writes.", nameof(writes));
        }

        var rowKeys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < writes.Count; i++)
        {
            var write = writes[i] ?? throw new ArgumentException($"Write {i} of the transaction is null.", nameof(writes));
            if (write.Kind is TableWriteKind.Delete)
            {
                ArgumentNullException.ThrowIfNull(write.Entity, nameof(writes));
                ValidateKey(write.Entity.PartitionKey, nameof(TableEntity.PartitionKey), nameof(writes));
                ValidateKey(write.Entity.RowKey, nameof(TableEntity.RowKey), nameof(writes));
            }
            else
            {
                ValidateEntity(write.Entity, nameof(writes));
            }

            var needsETag = write.Kind is TableWriteKind.Replace or TableWriteKind.Delete;
            if (needsETag ? string.IsNullOrEmpty(write.IfMatch) : write.IfMatch is not null)
            {
                throw new ArgumentException(
                    $"Write {i} of the transaction: replace and delete need an ETag to match, insert and upsert take none.", nameof(writes));
            }

            if (!Enum.IsDefined(write.Kind))
            {
                throw new ArgumentException($"Write {i} of the transaction has no known kind.", nameof(writes));
            }

            if (!string.Equals(write.Entity.PartitionKey, writes[0].Entity.PartitionKey, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Write {i} of the transaction is in another partition than write 0.", nameof(writes));
            }

            if (!rowKeys.Add(write.Entity.RowKey))
            {
                throw new ArgumentException($"Write {i} of the transaction addresses an entity an earlier write addresses.", nameof(writes));
            }
        }
    }

    public static void ValidateEntity(TableEntity entity, string paramName)
    {
        ArgumentNullException.ThrowIfNull(entity, paramName);
        ValidateKey(entity.PartitionKey, nameof(TableEntity.PartitionKey), paramName);
        ValidateKey(entity.RowKey, nameof(TableEntity.RowKey), paramName);
        if (entity.Properties is null)
        {
            throw new ArgumentException("The entity has no property dictionary.", paramName);
        }

        if (entity.Properties.Count > MaxProperties)
        {
            throw new ArgumentException($"An entity may have at most {MaxProperties} properties.", paramName);
        }

        foreach (var (name, value) in entity.Properties)
        {
            ValidatePropertyName(name, paramName);
            ValidatePropertyValue(name, value, paramName);
        }
    }

    private static void ValidatePropertyName(string name, string paramName)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException("A property name is empty.", paramName);
        }

        if (name.Length > MaxPropertyNameLength)
        {
            throw new ArgumentException($"A property name is longer than {MaxPropertyNameLength} characters.", paramName);
        }

        if (!IsIdentifier(name))
        {
            throw new ArgumentException($"Property name '{name}' is not a valid identifier (a letter or '_', then letters, digits or '_').", paramName);
        }

        // Case-insensitive on purpose: a property that differs from a system property only by case is a bug waiting to happen.
        if (ReservedPropertyNames.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"Property name '{name}' is reserved for a system property.", paramName);
        }
    }

    private static void ValidatePropertyValue(string name, object? value, string paramName)
    {
        switch (value)
        {
            case null:
                throw new ArgumentException($"Property '{name}' is null; omit the property instead.", paramName);
            case string s when s.Length > MaxStringLength:
                throw new ArgumentException($"Property '{name}' is longer than {MaxStringLength} characters.", paramName);
            case string s when !IsWellFormedUtf16(s):
                throw new ArgumentException($"Property '{name}' contains an unpaired UTF-16 surrogate.", paramName);
            case byte[] b when b.Length > MaxBinaryLength:
                throw new ArgumentException($"Property '{name}' is longer than {MaxBinaryLength} bytes.", paramName);
            case DateTimeOffset d when d < MinDateTime:
                throw new ArgumentException($"Property '{name}' is before 1601-01-01T00:00:00Z, which Table Storage cannot hold.", paramName);
            case string or int or long or double or bool or DateTimeOffset or Guid or byte[]:
                return;
            default:
                throw new ArgumentException(
                    $"Property '{name}' has type {value.GetType().Name}; supported types are string, int, long, double, bool, DateTimeOffset, Guid and byte[].",
                    paramName);
        }
    }

    private static bool IsIdentifier(string name)
    {
        if (!(char.IsLetter(name[0]) || name[0] == '_'))
        {
            return false;
        }

        foreach (var c in name.AsSpan(1))
        {
            if (!(char.IsLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    // Strings cross to UTF-8 on the way to either backend; an unpaired surrogate would silently become U+FFFD.
    private static bool IsWellFormedUtf16(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return false;
            }
        }

        return true;
    }
}
