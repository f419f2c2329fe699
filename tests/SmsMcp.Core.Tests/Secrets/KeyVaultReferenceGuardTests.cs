using Microsoft.Extensions.Configuration;
using SmsMcp.Core.Secrets;

namespace SmsMcp.Core.Tests.Secrets;

public sealed class KeyVaultReferenceGuardTests
{
    private const string Reference = "@Microsoft.KeyVault(SecretUri=https://contoso.vault.azure.net/secrets/twilio-auth-token/)";

    private static IConfiguration Configuration(params (string Key, string? Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    [Fact]
    public void ResolvedSettings_NoUnresolvedKeys() =>
        Assert.Empty(KeyVaultReferenceGuard.UnresolvedKeys(Configuration(("Sms:Twilio:AuthToken", "0123abcd"), ("Empty", null))));

    [Theory]
    [InlineData(Reference)]
    [InlineData(" @microsoft.keyvault(VaultName=contoso;SecretName=twilio-auth-token)")]
    public void UnresolvedReference_RefusedNamingTheKeyNeverTheValue(string value)
    {
        var configuration = Configuration(("Sms:Twilio:AuthToken", value), ("Sms:Twilio:From", "+12025550100"), ("Audit:Key", Reference));

        var e = Assert.Throws<InvalidOperationException>(() => KeyVaultReferenceGuard.ThrowIfUnresolved(configuration));

        Assert.Equal(["Audit:Key", "Sms:Twilio:AuthToken"], KeyVaultReferenceGuard.UnresolvedKeys(configuration));
        Assert.Contains("Audit:Key, Sms:Twilio:AuthToken", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("contoso", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void ReferenceTextInsideAValue_NotAReference() =>
        Assert.Empty(KeyVaultReferenceGuard.UnresolvedKeys(Configuration(("Note", "see @Microsoft.KeyVault( docs"))));
}
