namespace SmsMcp.Core.Audit;

/// <summary>The pseudonymization key as loaded once at start-up, shared by the pseudonymizer and (when no seal key is set) the sealer.</summary>
internal sealed record PseudonymizationKey(byte[] Bytes);
