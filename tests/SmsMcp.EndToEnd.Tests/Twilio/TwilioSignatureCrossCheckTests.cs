using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SmsMcp.EndToEnd.Tests.Infrastructure;
using SmsMcp.Http.Webhooks;
using SmsMcp.Server.Tests.Infrastructure;

namespace SmsMcp.EndToEnd.Tests.Twilio;

/// <summary>
/// Our X-Twilio-Signature check (the Twilio SDK's RequestValidator) against Twilio's own Node library (npm <c>twilio</c>,
/// tests/peers/twilio-sign.mjs): random URLs (ports, default ports, query strings) and random unicode parameters, signed
/// by twilio-node — ours accepts every one and agrees with twilio-node's validateRequest on every case, including one
/// mutation per case (flipped signature byte, missing or extra parameter, other URL, other token, other body)
/// that both must reject. Requests that repeat a parameter name are signed by twilio-node too, and ours refuses every
/// one (fail closed: the SDK checks one value per name). All cases go to one node process.
/// </summary>
public sealed class TwilioSignatureCrossCheckTests
{
    private const int FormCases = 1000;
    private const int BodyCases = 200;
    private const int RepeatedNameCases = 200;
    private const string RepeatedName = "repeated name";
    private const int Seed = 20261121;

    private sealed record Case(string Token, string Url, Dictionary<string, List<string>>? Params, string? Body, bool Mutated, string What)
    {
        public Case? SignWith { get; init; }

        public int? Flip { get; init; }

        public JsonObject ToJson()
        {
            var o = Describe(this);
            if (SignWith is not null)
            {
                o["signWith"] = Describe(SignWith);
            }

            if (Flip is not null)
            {
                o["flip"] = Flip;
            }

            return o;
        }

        private static JsonObject Describe(Case c)
        {
            var o = new JsonObject { ["token"] = c.Token, ["url"] = c.Url };
            if (c.Body is not null)
            {
                o["body"] = c.Body;
            }
            else
            {
                var p = new JsonObject();
                foreach (var (key, values) in c.Params!)
                {
                    p[key] = values.Count == 1 ? values[0] : new JsonArray([.. values.Select(v => (JsonNode)v)]);
                }

                o["params"] = p;
            }

            return o;
        }

        public IEnumerable<KeyValuePair<string, string>> Pairs() =>
            (Params ?? []).SelectMany(kv => kv.Value.Select(v => new KeyValuePair<string, string>(kv.Key, v)));
    }

    [Fact]
    public async Task RandomRequestsSignedByTwilioNode_AcceptedByOurs_AndEveryMutationRejectedByBoth()
    {
        var random = new Random(Seed);
        var cases = new List<Case>();
        for (var i = 0; i < FormCases; i++)
        {
            var original = new Case(Token(random), RandomUrl(random), RandomParams(random, repeatName: false), null, false, "form");
            cases.Add(original);
            cases.Add(MutateForm(original, random));
        }

        for (var i = 0; i < RepeatedNameCases; i++)
        {
            cases.Add(new Case(Token(random), RandomUrl(random), RandomParams(random, repeatName: true), null, false, RepeatedName));
        }

        for (var i = 0; i < BodyCases; i++)
        {
            var body = RandomJsonBody(random);
            var url = WithQuery(RandomUrl(random), "bodySHA256=" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body))));
            var original = new Case(Token(random), url, null, body, false, "body");
            cases.Add(original);
            cases.Add(MutateBody(original, random));
        }

        var input = new JsonArray([.. cases.Select(c => (JsonNode)c.ToJson())]).ToJsonString();
        var run = await ProcessRunner.RunAsync(Peers.Node, [Peers.File("twilio-sign.mjs")], standardInput: input);
        Assert.True(run.ExitCode == 0, run.ToString());
        var answers = JsonNode.Parse(run.StandardOutput)!.AsArray();
        Assert.Equal(cases.Count, answers.Count);

        var failures = new List<string>();
        for (var i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            var signature = answers[i]!["signature"]!.GetValue<string>();
            var theirs = answers[i]!["valid"]!.GetValue<bool>();
            var ours = c.Body is null
                ? TwilioSignatureValidator.IsValid(c.Token, signature, c.Url, c.Pairs())
                : TwilioSignatureValidator.IsValidWithBody(c.Token, signature, c.Url, Encoding.UTF8.GetBytes(c.Body));
            var expected = c.What != RepeatedName && theirs;
            if (ours != expected || theirs == c.Mutated)
            {
                failures.Add($"case {i} ({c.What}, mutated={c.Mutated}): ours={ours} twilio-node={theirs} url={c.Url}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} cases disagree (seed {Seed}):\n" + string.Join("\n", failures.Take(20)));
        Assert.Equal(FormCases + BodyCases, cases.Count(c => !c.Mutated && c.What != RepeatedName));
        Assert.Equal(RepeatedNameCases, cases.Count(c => c.Params?.Any(p => p.Value.Count > 1) == true));
    }

    [Fact]
    public async Task TestSigner_EqualsTwilioNodes()
    {
        // The tests' stand-in for Twilio (TwilioSigner) signs exactly like twilio-node, repeated names included.
        var random = new Random(Seed + 1);
        var cases = Enumerable.Range(0, 200).Select(_ => new Case(Token(random), RandomUrl(random), RandomParams(random, repeatName: random.Next(3) == 0), null, false, "form")).ToList();
        var input = new JsonArray([.. cases.Select(c => (JsonNode)c.ToJson())]).ToJsonString();

        var run = await ProcessRunner.RunAsync(Peers.Node, [Peers.File("twilio-sign.mjs")], standardInput: input);

        Assert.True(run.ExitCode == 0, run.ToString());
        var answers = JsonNode.Parse(run.StandardOutput)!.AsArray();
        for (var i = 0; i < cases.Count; i++)
        {
            Assert.Equal(answers[i]!["signature"]!.GetValue<string>(), TwilioSigner.Sign(cases[i].Token, cases[i].Url, cases[i].Pairs()));
        }
    }

    [Fact]
    public void MissingOrEmptySignature_Rejected()
    {
        var parameters = new[] { new KeyValuePair<string, string>("MessageStatus", "delivered") };
        Assert.False(TwilioSignatureValidator.IsValid("token", null, "https://h.example/twilio/status", parameters));
        Assert.False(TwilioSignatureValidator.IsValid("token", "", "https://h.example/twilio/status", parameters));
        Assert.False(TwilioSignatureValidator.IsValidWithBody("token", TwilioSigner.Sign("token", "https://h.example/s", []), "https://h.example/s", "{}"u8));
        Assert.False(TwilioSignatureValidator.IsValidWithBody("token", TwilioSigner.Sign("token", "https://h.example/s?bodySHA256", []), "https://h.example/s?bodySHA256", "{}"u8));
    }

    [Fact]
    public void JsonBodyThatIsNotUtf8_Rejected()
    {
        var url = "https://h.example/s?bodySHA256=" + Convert.ToHexStringLower(SHA256.HashData("\uFFFD"u8));
        Assert.True(TwilioSignatureValidator.IsValidWithBody("token", TwilioSigner.Sign("token", url, []), url, "\uFFFD"u8));
        Assert.False(TwilioSignatureValidator.IsValidWithBody("token", TwilioSigner.Sign("token", url, []), url, [0xFF]));
    }

    [Theory]
    [InlineData("https://h.example/p?x=1", "https://h.example:443/p?x=1")]
    [InlineData("http://h.example/p", "http://h.example:80/p")]
    [InlineData("https://u:p@h.example/p", "https://u:p@h.example:443/p")]
    [InlineData("https://[::1]/p", "https://[::1]:443/p")]
    [InlineData("https://h.example:8443/p", "https://h.example:8443/p")]
    public void SignedWithOrWithoutTheDefaultPort_AcceptedEitherWay(string url, string withPort)
    {
        KeyValuePair<string, string>[] form = [new("MessageStatus", "delivered")];
        Assert.True(TwilioSignatureValidator.IsValid("token", TwilioSigner.Sign("token", withPort, form), url, form));
        Assert.True(TwilioSignatureValidator.IsValid("token", TwilioSigner.Sign("token", url, form), withPort, form));
        Assert.False(TwilioSignatureValidator.IsValid("token", TwilioSigner.Sign("token", url.Replace("/p", "/q", StringComparison.Ordinal), form), withPort, form));
    }

    private static Case MutateForm(Case c, Random random)
    {
        var kind = random.Next(c.Params!.Count == 0 ? 4 : 6);
        return kind switch
        {
            0 => c with { Mutated = true, What = "flipped signature", Flip = random.Next(27) },
            1 => c with { Mutated = true, What = "other token", SignWith = c, Token = Token(random) },
            2 => c with { Mutated = true, What = "other URL", SignWith = c, Url = OtherPath(c.Url) },
            3 => c with { Mutated = true, What = "extra parameter", SignWith = c, Params = new(c.Params) { ["Injected" + random.Next(1000)] = ["1"] } },
            4 => c with { Mutated = true, What = "missing parameter", SignWith = c, Params = c.Params.Skip(1).ToDictionary() },
            _ => c with { Mutated = true, What = "changed value", SignWith = c, Params = ChangeValue(c.Params) },
        };
    }

    private static Case MutateBody(Case c, Random random) => random.Next(4) switch
    {
        0 => c with { Mutated = true, What = "body: flipped signature", Flip = random.Next(27) },
        1 => c with { Mutated = true, What = "body: other token", SignWith = c, Token = Token(random) },
        2 => c with { Mutated = true, What = "body: other URL", SignWith = c, Url = OtherPath(c.Url) },
        _ => c with { Mutated = true, What = "body: changed body", SignWith = c, Body = c.Body + " " },
    };

    private static Dictionary<string, List<string>> ChangeValue(Dictionary<string, List<string>> p)
    {
        var copy = p.ToDictionary(kv => kv.Key, kv => kv.Value.ToList());
        var first = copy.Keys.First();
        copy[first] = [.. copy[first].Select(v => v + "x")];
        return copy;
    }

    private static string OtherPath(string url)
    {
        var q = url.IndexOf('?', StringComparison.Ordinal);
        return q < 0 ? url + "x" : url[..q] + "x" + url[q..];
    }

    private static string Token(Random random) => Convert.ToHexStringLower(RandomBytes(random, 16));

    private static byte[] RandomBytes(Random random, int n)
    {
        var bytes = new byte[n];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string RandomUrl(Random random)
    {
        var scheme = random.Next(4) == 0 ? "http" : "https";
        var host = string.Join('.', Enumerable.Range(0, random.Next(2, 4)).Select(_ => Ascii(random, "abcdefghijklmnopqrstuvwxyz0123456789", 1, 10))) + ".example";
        var port = random.Next(4) switch
        {
            0 => "",
            1 => scheme == "https" ? ":443" : ":80",
            _ => ":" + random.Next(1024, 65536).ToString(CultureInfo.InvariantCulture),
        };
        var path = "/" + string.Join('/', Enumerable.Range(0, random.Next(1, 4)).Select(_ => Ascii(random, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_~", 1, 12)));
        var url = $"{scheme}://{host}{port}{path}";
        var queryCount = random.Next(3) == 0 ? 0 : random.Next(1, 4);
        for (var i = 0; i < queryCount; i++)
        {
            url = WithQuery(url, Ascii(random, "abcdefghijklmnopqrstuvwxyz", 1, 8) + "=" + Uri.EscapeDataString(Unicode(random, 0, 10)));
        }

        return url;
    }

    private static string WithQuery(string url, string pair) => url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + pair;

    private static Dictionary<string, List<string>> RandomParams(Random random, bool repeatName)
    {
        var twilioNames = new[] { "MessageSid", "MessageStatus", "To", "From", "AccountSid", "ErrorCode", "ApiVersion", "SmsSid", "SmsStatus", "Body" };
        var p = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var count = random.Next(0, 9);
        while (p.Count < count)
        {
            var key = random.Next(3) switch
            {
                0 => twilioNames[random.Next(twilioNames.Length)],
                1 => Ascii(random, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_", 1, 12),
                _ => Unicode(random, 1, 8),
            };

            p[key] = [Unicode(random, 0, 24)];
        }

        if (repeatName)
        {
            // A form field sent twice arrives as several values, duplicates included.
            var key = Ascii(random, "abcdefghijklmnopqrstuvwxyz", 1, 8) + "_";
            var values = Enumerable.Range(0, random.Next(2, 4)).Select(_ => Unicode(random, 0, 24)).ToList();
            if (random.Next(2) == 0)
            {
                values.Add(values[0]);
            }

            p[key] = values;
        }

        return p;
    }

    private static string RandomJsonBody(Random random) =>
        JsonSerializer.Serialize(RandomParams(random, repeatName: false).ToDictionary(kv => kv.Key, kv => kv.Value[0]));

    private static string Ascii(Random random, string alphabet, int min, int max) =>
        new([.. Enumerable.Range(0, random.Next(min, max + 1)).Select(_ => alphabet[random.Next(alphabet.Length)])]);

    /// <summary>Valid Unicode only (no lone surrogates): ASCII, accents, CJK, combining marks, emoji, spaces and symbols.</summary>
    private static string Unicode(Random random, int min, int max)
    {
        var sb = new StringBuilder();
        var length = random.Next(min, max + 1);
        for (var i = 0; i < length; i++)
        {
            var rune = random.Next(8) switch
            {
                0 or 1 => new Rune(random.Next(0x20, 0x7F)),
                2 => new Rune(random.Next(0xA0, 0x250)),
                3 => new Rune(random.Next(0x4E00, 0x9FFF)),
                4 => new Rune(random.Next(0x300, 0x370)),
                5 => new Rune(random.Next(0x1F300, 0x1FAFF)),
                6 => new Rune("&=+%?#/ \t\n"[random.Next(10)]),
                _ => new Rune(random.Next(0x400, 0x4FF)),
            };
            sb.Append(rune.ToString());
        }

        return sb.ToString();
    }
}
