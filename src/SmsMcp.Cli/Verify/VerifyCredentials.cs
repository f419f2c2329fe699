namespace SmsMcp.Cli.Verify;

/// <summary>What verify may present: a caller's API key or OAuth token (never both), and an operator key. Never printed.</summary>
internal sealed record VerifyCredentials(string? Key, string? Token, string? AdminKey)
{
    public override string ToString() => $"VerifyCredentials {{ Key = {(Key is null ? "none" : "***")}, Token = {(Token is null ? "none" : "***")}, AdminKey = {(AdminKey is null ? "none" : "***")} }}";
}
