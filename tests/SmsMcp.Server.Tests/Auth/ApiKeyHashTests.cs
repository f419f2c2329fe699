using SmsMcp.Http.Auth;

namespace SmsMcp.Server.Tests.Auth;

public sealed class ApiKeyHashTests
{
    [Fact]
    public void SameKey_Matches_OtherKeysDoNot()
    {
        var key = ApiKeyHash.NewKey();
        var hash = ApiKeyHash.Create(key);
        Assert.True(hash.Matches(key));
        Assert.False(hash.Matches(key + "x"));
        Assert.False(hash.Matches(key[..^1]));
        Assert.False(hash.Matches(""));
    }

    [Fact]
    public void EqualKeys_GetDifferentSaltsAndHashes()
    {
        var a = ApiKeyHash.Create("the-same-key-0123456789abcdef");
        var b = ApiKeyHash.Create("the-same-key-0123456789abcdef");
        Assert.NotEqual(a.SaltBase64, b.SaltBase64);
        Assert.NotEqual(a.HashBase64, b.HashBase64);
    }

    [Fact]
    public void NewKeys_AreLongRandomAndPrefixed()
    {
        var keys = Enumerable.Range(0, 100).Select(_ => ApiKeyHash.NewKey()).ToList();
        Assert.Equal(100, keys.Distinct().Count());
        Assert.All(keys, k => Assert.Matches("^smk_[A-Za-z0-9_-]{43}$", k));
    }
}
