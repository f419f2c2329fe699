namespace SmsMcp.Core.Phone;

/// <summary>
/// A range inside a calling code, from <c>number-ranges.csv</c>: numbers starting with
/// <paramref name="Prefix"/> (E.164 digits after '+', code included) belong to <paramref name="Region"/>
/// and/or are charged as <paramref name="Class"/>; a null keeps what a shorter match or the code says.
/// </summary>
public sealed record NumberRange(string Prefix, string? Region, NumberClass? Class);
