using System.Net;
using System.Security.Cryptography;
using System.Text;
using SmsMcp.Http.Webhooks;
using SmsMcp.Server.Tests.Infrastructure;

namespace SmsMcp.Server.Tests.Webhooks;

/// <summary>
/// POST /twilio/status checks X-Twilio-Signature against the configured public URL: a bad or missing signature is
/// 403; a good one passes on to the status walk, which answers 404 here because these callbacks name no message of
/// ours (no <c>mid</c>; see <see cref="TwilioStatusCallbackTests"/> for callbacks that do).
/// </summary>
public sealed class TwilioStatusSignatureTests(TwilioStatusSignatureTests.TwilioFactory factory) : IClassFixture<TwilioStatusSignatureTests.TwilioFactory>
{
    private const string AuthToken = "0123456789abcdef0123456789abcdef";
    private const string PublicUrl = "https://smsmcp.example.com/twilio/status";

    public sealed class TwilioFactory : SmsMcpFactory
    {
        protected override IEnumerable<KeyValuePair<string, string>> Settings =>
        [
            new("Sms:Provider", "Twilio"),
            new("Sms:Twilio:AccountSid", "AC0123456789abcdef0123456789abcdef"),
            new("Sms:Twilio:AuthToken", AuthToken),
            new("Sms:Twilio:From", "+12025550100"),
            new("Webhooks:PublicBaseUrl", "https://smsmcp.example.com"),
        ];
    }

    private static readonly KeyValuePair<string, string>[] Form =
    [
        new("MessageSid", "SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
        new("MessageStatus", "delivered"),
        new("AccountSid", "AC0123456789abcdef0123456789abcdef"),
    ];

    private async Task<HttpStatusCode> PostFormAsync(string? signature, IEnumerable<KeyValuePair<string, string>> form, string query = "")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, TwilioStatusEndpoints.Path + query) { Content = new FormUrlEncodedContent(form) };
        if (signature is not null)
        {
            request.Headers.Add(TwilioSignatureValidator.HeaderName, signature);
        }

        using var response = await factory.CreateClient().SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task SignedForPublicUrl_PassesTheCheck_404WithoutOurMessageId() =>
        Assert.Equal(HttpStatusCode.NotFound, await PostFormAsync(TwilioSigner.Sign(AuthToken, PublicUrl, Form), Form));

    [Fact]
    public async Task SignedForPublicUrlWithDefaultPort_PassesTheCheck() =>
        Assert.Equal(HttpStatusCode.NotFound, await PostFormAsync(TwilioSigner.Sign(AuthToken, "https://smsmcp.example.com:443/twilio/status", Form), Form));

    [Fact]
    public async Task SignedWithQueryString_PassesTheCheck() =>
        Assert.Equal(HttpStatusCode.NotFound, await PostFormAsync(TwilioSigner.Sign(AuthToken, PublicUrl + "?m=msg_1", Form), Form, "?m=msg_1"));

    [Fact]
    public async Task SignedForTheInternalUrl_403() =>
        Assert.Equal(HttpStatusCode.Forbidden, await PostFormAsync(TwilioSigner.Sign(AuthToken, "http://localhost/twilio/status", Form), Form));

    [Fact]
    public async Task MissingSignature_403() =>
        Assert.Equal(HttpStatusCode.Forbidden, await PostFormAsync(null, Form));

    [Fact]
    public async Task TamperedParameter_403() =>
        Assert.Equal(HttpStatusCode.Forbidden, await PostFormAsync(TwilioSigner.Sign(AuthToken, PublicUrl, Form),
            [.. Form.Select(p => p.Key == "MessageStatus" ? new KeyValuePair<string, string>(p.Key, "failed") : p)]));

    [Fact]
    public async Task WrongToken_403() =>
        Assert.Equal(HttpStatusCode.Forbidden, await PostFormAsync(TwilioSigner.Sign("another-token", PublicUrl, Form), Form));

    [Theory]
    [InlineData(false, HttpStatusCode.NotFound)]
    [InlineData(true, HttpStatusCode.Forbidden)]
    public async Task JsonBodySignedThroughBodySha256_CheckedAgainstTheRawBody(bool tamper, HttpStatusCode expected)
    {
        var body = """{"MessageSid":"SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","MessageStatus":"delivered"}""";
        var query = "?bodySHA256=" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)));
        using var request = new HttpRequestMessage(HttpMethod.Post, TwilioStatusEndpoints.Path + query)
        {
            Content = new StringContent(tamper ? body.Replace("delivered", "failed", StringComparison.Ordinal) : body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(TwilioSignatureValidator.HeaderName, TwilioSigner.Sign(AuthToken, PublicUrl + query, []));

        using var response = await factory.CreateClient().SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
    }
}
