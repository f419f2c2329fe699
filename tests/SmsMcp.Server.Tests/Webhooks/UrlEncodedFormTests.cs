using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using SmsMcp.Http.Webhooks;

namespace SmsMcp.Server.Tests.Webhooks;

/// <summary>
/// <see cref="UrlEncodedForm"/> reads what ASP.NET Core's own form reader reads (the parser the webhook used before) for
/// every body that reader accepts, and reads anything else without throwing.
/// </summary>
public sealed class UrlEncodedFormTests
{
    public static TheoryData<string> Bodies => new()
    {
        "",
        "MessageSid=SM0123&MessageStatus=delivered",
        "To=%2B12025550123&Body=caf%C3%A9+%26+cr%C3%A8me%3D1",
        "a=1&a=2&a=1",
        "a=&=b&c=",
        "x=%E2%9C%93+%F0%9F%98%80&y=a%2Bb",
        "k=a=b=c",
        "sp+ace=v+v",
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task SameAsAspNetCoresFormReader(string body)
    {
        using var reader = new FormReader(body);
        var expected = (await reader.ReadFormAsync()).SelectMany(f => f.Value.Select(v => (f.Key, Value: v ?? ""))).Order().ToArray();

        var parsed = UrlEncodedForm.Parse(Encoding.UTF8.GetBytes(body)).Select(p => (p.Key, p.Value)).Order().ToArray();

        Assert.Equal(expected, parsed);
    }

    [Fact]
    public void EmptyPairs_Skipped_AsTheUrlStandardSays() =>
        // ASP.NET Core's reader would read "&b" as a name here; Twilio never sends empty pairs, so either reading is safe.
        Assert.Equal([new("a", "1"), new("b", "2"), new("c", "")], UrlEncodedForm.Parse("a=1&&b=2&&c&"u8));

    [Fact]
    public void Order_AndRepeatedNames_Kept() =>
        Assert.Equal(
            [new("b", "1"), new("a", "2"), new("b", "3")],
            UrlEncodedForm.Parse("b=1&a=2&b=3"u8));

    [Theory]
    [InlineData("%")]
    [InlineData("a=%ZZ&b=%FF%FE")]
    [InlineData("=")]
    [InlineData("&&&")]
    public void MalformedInput_ParsedWithoutThrowing(string body) =>
        Assert.All(UrlEncodedForm.Parse(Encoding.UTF8.GetBytes(body)), p => Assert.NotNull(p.Value));

    [Fact]
    public void InvalidUtf8_ParsedWithoutThrowing() =>
        Assert.Equal("\uFFFD", Assert.Single(UrlEncodedForm.Parse([(byte)'a', (byte)'=', 0xFF])).Value);

    [Fact]
    public void FarMoreFieldsThanAspNetCoreAllows_AllRead() =>
        Assert.Equal(5000, UrlEncodedForm.Parse(Encoding.ASCII.GetBytes(string.Join('&', Enumerable.Range(0, 5000).Select(i => $"k{i}=v")))).Length);
}
