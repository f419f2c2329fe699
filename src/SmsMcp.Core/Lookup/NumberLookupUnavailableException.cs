namespace SmsMcp.Core.Lookup;

/// <summary>A lookup gave no usable answer. The message names the kind of failure only, never the number or a credential.</summary>
public sealed class NumberLookupUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
