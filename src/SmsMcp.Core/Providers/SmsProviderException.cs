namespace SmsMcp.Core.Providers;

/// <summary>The provider did not take the message. The message text must not carry numbers, bodies or secrets.</summary>
public sealed class SmsProviderException(string message, Exception? inner = null) : Exception(message, inner);
