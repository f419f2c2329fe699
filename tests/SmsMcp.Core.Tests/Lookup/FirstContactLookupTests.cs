using System.Text;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Callers;
using SmsMcp.Core.Lookup;
using SmsMcp.Core.Messages;
using SmsMcp.Core.Policy;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Core.Vocabulary;
using SmsMcp.Server.Tests.Infrastructure;

namespace SmsMcp.Core.Tests.Lookup;

/// <summary>
/// The first-contact lookup guard in the real pipeline (SQLite, sandbox outbox), with Twilio's Lookup v2 wired as
/// production wires it and answered by a loopback fake that counts every request.
/// </summary>
[Collection(LoopbackNetworkCollection.Name)]
public sealed class FirstContactLookupTests
{
    private const string To = TwilioHarness.ToE164;
    private const string Body = "Your table for two is ready.";
    private static readonly CallerIdentity Other = new("other");
    private static readonly Pseudonymizer Pseudonymizer = new(new byte[32]);

    [Theory]
    [InlineData("premium")]
    [InlineData("sharedCost")]
    [InlineData("uan")]
    [InlineData("pager")]
    [InlineData("voicemail")]
    [InlineData("tollFree")]
    public async Task DefaultBlockedLineType_RefusedLineTypeBlocked_OneLookupOneAuditRecordNothingSent(string lineType)
    {
        await using var fake = new LoopbackHttpServer(_ => Answer(lineType, 0));
        await using var twilio = new TwilioHarness(fake.BaseUrl);
        await using var h = await PipelineHarness.CreateAsync(policy: Policy(), lookup: twilio.Lookup);

        var outcome = await h.SendAsync(To, Body);

        Assert.Equal(ReasonCodes.LineTypeBlocked, outcome.Refusal?.Code);
        Assert.Empty(h.Outbox());
        var record = Assert.Single(await h.AuditAsync());
        Assert.Equal((AuditDecision.Denied, ReasonCodes.LineTypeBlocked), (record.Decision, record.ReasonCode));
        var request = Assert.Single(fake.Requests);
        Assert.Equal(("GET", "/v2/PhoneNumbers/+12025550123?Fields=line_type_intelligence%2Csms_pumping_risk"), (request.Method, request.Target));
    }

    [Theory]
    [InlineData("mobile", 0, null)]
    [InlineData("landline", 12, null)]
    [InlineData("mobile", 60, null)]
    [InlineData("mobile", 61, ReasonCodes.SmsPumpingRisk)]
    [InlineData("nonFixedVoip", 100, ReasonCodes.SmsPumpingRisk)]
    public async Task Answer_SentOrRefusedByLineTypeAndRisk(string lineType, int risk, string? refusal)
    {
        await using var fake = new LoopbackHttpServer(_ => Answer(lineType, risk));
        await using var twilio = new TwilioHarness(fake.BaseUrl);
        await using var h = await PipelineHarness.CreateAsync(policy: Policy(), lookup: twilio.Lookup);

        var outcome = await h.SendAsync(To, Body);

        Assert.Equal(refusal, outcome.Refusal?.Code);
        Assert.Equal(refusal is null ? 1 : 0, h.Outbox().Count);
        Assert.Single(fake.Requests);
        Assert.Equal(refusal ?? ReasonCodes.Accepted, Assert.Single(await h.AuditAsync()).ReasonCode);
    }

    [Fact]
    public async Task ProfileLists_ReplacesTheDefaultsAndItsThreshold()
    {
        await using var fake = new LoopbackHttpServer(n => n == 1 ? Answer("premium", 30) : Answer("landline", 0));
        await using var twilio = new TwilioHarness(fake.BaseUrl);
        var policy = Policy("""{ "mode": "firstContact", "blockLineTypes": ["landline"], "maxSmsPumpingRisk": 20 }""");
        await using var h = await PipelineHarness.CreateAsync(policy: policy, lookup: twilio.Lookup);

        var premium = await h.SendAsync(To, Body);
        var landline = await h.SendAsync("+12025550124", Body);

        Assert.Equal((ReasonCodes.SmsPumpingRisk, ReasonCodes.LineTypeBlocked), (premium.Refusal?.Code, landline.Refusal?.Code));
    }

    [Fact]
    public async Task LookupSaysInvalid_RefusedInvalidNumber()
    {
        await using var fake = new LoopbackHttpServer(_ => LoopbackReply.Json(200,
            """{"valid":false,"validation_errors":["TOO_SHORT"],"line_type_intelligence":null,"sms_pumping_risk":null}"""));
        await using var twilio = new TwilioHarness(fake.BaseUrl);
        await using var h = await PipelineHarness.CreateAsync(policy: Policy(), lookup: twilio.Lookup);

        var outcome = await h.SendAsync(To, Body);

        Assert.Equal(ReasonCodes.InvalidNumber, outcome.Refusal?.Code);
        Assert.Empty(h.Outbox());
    }

    [Fact]
    public async Task ServerError_RefusedLookupUnavailable_NotCached_NextSendLooksUpAgain()
    {
        // Three 500s: a lookup is a read, so the client retries it up to MaxAttempts (3) before giving up.
        await using var fake = new LoopbackHttpServer(n => n <= 3 ? LoopbackReply.Error(500, 20500) : Answer("mobile", 1));
        await using var twilio = new TwilioHarness(fake.BaseUrl);
        await using var h = await PipelineHarness.CreateAsync(policy: Policy(), lookup: twilio.Lookup);

        var first = await h.SendAsync(To, Body);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        var second = await h.SendAsync(To, Body);

        Assert.Equal(ReasonCodes.LookupUnavailable, first.Refusal?.Code);
        Assert.True(second.Result is not null, second.Refusal?.Code);
        Assert.Equal(4, fake.Requests.Count);
        Assert.Single(h.Outbox());
        Assert.Equal([ReasonCodes.LookupUnavailable, ReasonCodes.Accepted], (await h.AuditAsync()).Select(r => r.ReasonCode));
    }

    /// <summary>Each failure and how many requests it costs: a lookup is a read, so timeouts, resets and 5xx are retried (MaxAttempts 3).</summary>
    public static TheoryData<string, int> Failures => new()
    {
        { "500", 3 },
        { "timeout", 3 },
        { "reset", 3 },
        { "401", 1 },
        { "no risk score", 1 },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Unavailable_RefusedByDefault_SentWithOnUnavailableAllow(string failure, int requests)
    {
        foreach (var allow in new[] { false, true })
        {
            await using var fake = new LoopbackHttpServer(_ => Failure(failure));
            await using var twilio = new TwilioHarness(fake.BaseUrl, FastFailure);
            var lookup = allow ? """{ "mode": "firstContact", "onUnavailable": "allow" }""" : """{ "mode": "firstContact", "onUnavailable": "refuse" }""";
            await using var h = await PipelineHarness.CreateAsync(policy: Policy(lookup), lookup: twilio.Lookup);

            var outcome = await h.SendAsync(To, Body);

            Assert.Equal(allow ? null : ReasonCodes.LookupUnavailable, outcome.Refusal?.Code);
            Assert.Equal(allow ? 1 : 0, h.Outbox().Count);
            Assert.Equal(requests, fake.Requests.Count);
            Assert.Null(await h.LookupCache.GetAsync(Ref(To), CancellationToken.None));
        }
    }

    [Fact]
    public async Task CachedAnswer_OtherCallerFirstContact_NoSecondLookup()
    {
        await using var fake = new LoopbackHttpServer(_ => Answer("mobile", 3));
        await using var twilio = new TwilioHarness(fake.BaseUrl);
        await using var h = await PipelineHarness.CreateAsync(policy: Policy(), lookup: twilio.Lookup);

        var first = await h.SendAsync(To, Body);
        var second = await h.SendAsAsync(Other, To, Body);

        Assert.True(first.Result is not null && second.Result is not null);
        Assert.Single(fake.Requests);
        Assert.Equal(2, h.Outbox().Count);
    }

    [Fact]
    public async Task CachedRefusal_RepeatedWithoutLookup_UntilTheTtlEnds()
    {
        await using var fake = new LoopbackHttpServer(_ => Answer("premium", 0));
        await using var twilio = new TwilioHarness(fake.BaseUrl);
        await using var h = await PipelineHarness.CreateAsync(policy: Policy(), lookup: twilio.Lookup);

        var first = await h.SendAsync(To, Body);
        h.Time.Advance(new LookupOptions().CacheTtl - TimeSpan.FromSeconds(1));
        var withinTtl = await h.SendAsAsync(Other, To, Body);
        var lookupsWithinTtl = fake.Requests.Count;
        h.Time.Advance(TimeSpan.FromSeconds(1));
        var afterTtl = await h.SendAsync(To, Body);

        Assert.All([first, withinTtl, afterTtl], o => Assert.Equal(ReasonCodes.LineTypeBlocked, o.Refusal?.Code));
        Assert.Equal((1, 2), (lookupsWithinTtl, fake.Requests.Count));
    }

    [Fact]
    public async Task KnownContact_NotLookedUp_Sent()
    {
        await using var fake = new LoopbackHttpServer(_ => Answer("premium", 99));
        await using var twilio = new TwilioHarness(fake.BaseUrl);
        await using var h = await PipelineHarness.CreateAsync(policy: Policy(), lookup: twilio.Lookup);
        await h.Contacts.RecordAsync(PipelineHarness.Caller.Id, Ref(To), h.Time.GetUtcNow(), CancellationToken.None);

        var outcome = await h.SendAsync(To, Body);

        Assert.True(outcome.Result is not null, outcome.Refusal?.Code);
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task SentFirstContact_LaterSendsToItNotLookedUpEvenAfterTheTtl()
    {
        await using var fake = new LoopbackHttpServer(_ => Answer("mobile", 0));
        await using var twilio = new TwilioHarness(fake.BaseUrl);
        await using var h = await PipelineHarness.CreateAsync(policy: Policy(), lookup: twilio.Lookup);

        await h.SendAsync(To, Body);
        h.Time.Advance(TimeSpan.FromDays(400));
        var later = await h.SendAsync(To, Body);

        Assert.True(later.Result is not null, later.Refusal?.Code);
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task ModeOff_NotLookedUp()
    {
        await using var fake = new LoopbackHttpServer(_ => Answer("premium", 99));
        await using var twilio = new TwilioHarness(fake.BaseUrl);
        await using var h = await PipelineHarness.CreateAsync(policy: Policy("""{ "mode": "off" }"""), lookup: twilio.Lookup);

        var outcome = await h.SendAsync(To, Body);

        Assert.True(outcome.Result is not null, outcome.Refusal?.Code);
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task PolicyRefusal_AnswersFirst_NoLookupSpent()
    {
        await using var fake = new LoopbackHttpServer(_ => Answer("mobile", 0));
        await using var twilio = new TwilioHarness(fake.BaseUrl);
        await using var h = await PipelineHarness.CreateAsync(policy: Policy(), lookup: twilio.Lookup);

        var outcome = await h.SendAsync("+12025550199", "see https://example.com");

        Assert.Equal(ReasonCodes.UrlNotAllowed, outcome.Refusal?.Code);
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task Preview_UsesOnlyTheCache_NeverSpendsALookup()
    {
        await using var fake = new LoopbackHttpServer(_ => Answer("pager", 0));
        await using var twilio = new TwilioHarness(fake.BaseUrl);
        await using var h = await PipelineHarness.CreateAsync(policy: Policy(), lookup: twilio.Lookup);

        var uncached = await h.Pipeline.PreviewAsync(PipelineHarness.Caller, To, Body, CancellationToken.None);
        var lookupsAfterPreview = fake.Requests.Count;
        await h.SendAsync(To, Body);
        var cached = await h.Pipeline.PreviewAsync(Other, To, Body, CancellationToken.None);

        Assert.Equal((true, 0), (uncached.Allowed, lookupsAfterPreview));
        Assert.Equal(ReasonCodes.LineTypeBlocked, cached.Refusal?.Code);
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task DryRun_ReportsTheLookupRefusal()
    {
        await using var fake = new LoopbackHttpServer(_ => Answer("premium", 0));
        await using var twilio = new TwilioHarness(fake.BaseUrl);
        await using var h = await PipelineHarness.CreateAsync(policy: Policy(), lookup: twilio.Lookup);
        await h.Controls.SetDryRunAsync(null, true, "test", CancellationToken.None);

        var outcome = await h.SendAsync(To, Body);

        Assert.Equal(ReasonCodes.LineTypeBlocked, outcome.Refusal?.Code);
    }

    [Theory]
    [InlineData(ContactBookTable)]
    [InlineData(LookupCache.Table)]
    public async Task StoreCannotAnswer_RefusedStorageUnavailable_NoLookup(string table)
    {
        await using var fake = new LoopbackHttpServer(_ => Answer("mobile", 0));
        await using var twilio = new TwilioHarness(fake.BaseUrl);
        await using var h = await PipelineHarness.CreateAsync(policy: Policy(), lookup: twilio.Lookup);
        h.Store.Fail("get", table);

        var outcome = await h.SendAsync(To, Body);

        Assert.Equal(ReasonCodes.StorageUnavailable, outcome.Refusal?.Code);
        Assert.Empty(fake.Requests);
        Assert.Empty(h.Outbox());
    }

    [Fact]
    public async Task CacheCannotBeWritten_AnswerStillUsed()
    {
        await using var fake = new LoopbackHttpServer(_ => Answer("tollFree", 0));
        await using var twilio = new TwilioHarness(fake.BaseUrl);
        await using var h = await PipelineHarness.CreateAsync(policy: Policy(), lookup: twilio.Lookup);
        h.Store.Fail("upsert", LookupCache.Table);

        var outcome = await h.SendAsync(To, Body);

        Assert.Equal(ReasonCodes.LineTypeBlocked, outcome.Refusal?.Code);
    }

    [Fact]
    public async Task NoNumber_InLogsStorageKeysOrStoredRows()
    {
        var logs = new CapturingLoggerProvider();
        var script = new[] { LoopbackReply.Error(500, 20500), LoopbackReply.Error(500, 20500), LoopbackReply.Error(500, 20500), Answer("premium", 0), Answer("mobile", 70), Answer("mobile", 2) };
        await using var fake = new LoopbackHttpServer(n => script[Math.Min(n, script.Length) - 1]);
        await using var twilio = new TwilioHarness(fake.BaseUrl);
        await using var h = await PipelineHarness.CreateAsync(policy: Policy("""{ "mode": "firstContact" }"""), lookup: twilio.Lookup, logs: logs);

        var codes = new List<string?>
        {
            (await h.SendAsync(To, Body)).Refusal?.Code,
            (await h.SendAsync(To, Body)).Refusal?.Code,
            (await h.SendAsync("+12025550124", Body)).Refusal?.Code,
            (await h.SendAsync("+12025550125", Body)).Refusal?.Code,
        };
        h.Store.Fail("get", ContactBookTable);
        codes.Add((await h.SendAsync(To, Body)).Refusal?.Code);

        Assert.Equal([ReasonCodes.LookupUnavailable, ReasonCodes.LineTypeBlocked, ReasonCodes.SmsPumpingRisk, null, ReasonCodes.StorageUnavailable], codes);
        Assert.Equal(Ref(To), (await h.Store.GetAsync(LookupCache.Table, Ref(To), "v2", CancellationToken.None))?.PartitionKey);
        var text = string.Join("\n", logs.Lines.Concat(twilio.Logs.Lines));
        Assert.Contains("Lookup for recipient", text, StringComparison.Ordinal);
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(h.Sandbox.OutboxPath)!).Where(f => f != h.Sandbox.OutboxPath))
        {
            text += Encoding.UTF8.GetString(File.ReadAllBytes(file));
        }

        foreach (var digits in new[] { "2025550123", "2025550124", "2025550125" })
        {
            Assert.DoesNotContain(digits, text, StringComparison.Ordinal);
        }
    }

    private const string ContactBookTable = Approvals.ContactBook.Table;

    /// <summary>
    /// Timeouts short enough that a hang answers within seconds, long enough that every attempt reaches the fake before
    /// the client gives up even on a loaded machine (the tests count the requests the fake read).
    /// </summary>
    private static Dictionary<string, string?> FastFailure => new()
    {
        ["Sms:Twilio:RequestTimeout"] = "00:00:01.500",
        ["Sms:Twilio:ConnectTimeout"] = "00:00:01",
    };

    private static string Ref(string e164) => Pseudonymizer.Recipient(e164);

    /// <summary>Twilio's Lookup v2 answer with both packages (the number is in it, as in Twilio's; it must not reach a log).</summary>
    private static LoopbackReply Answer(string lineType, int risk) => LoopbackReply.Json(200, $$"""
        {"calling_country_code":"1","country_code":"US","phone_number":"+12025550123","national_format":"(202) 555-0123","valid":true,
         "validation_errors":null,"line_type_intelligence":{"mobile_country_code":"310","mobile_network_code":"456","carrier_name":"Example","type":"{{lineType}}","error_code":null},
         "sms_pumping_risk":{"carrier_risk_category":"low","number_blocked":false,"number_blocked_date":null,"number_blocked_last_3_months":null,"sms_pumping_risk_score":{{risk}},"error_code":null},
         "url":"https://lookups.twilio.com/v2/PhoneNumbers/+12025550123"}
        """);

    private static LoopbackReply Failure(string failure) => failure switch
    {
        "500" => LoopbackReply.Error(500, 20500),
        "timeout" => LoopbackReply.Hang,
        "reset" => LoopbackReply.Reset,
        "401" => LoopbackReply.Error(401, 20003),
        "no risk score" => LoopbackReply.Json(200,
            """{"valid":true,"line_type_intelligence":{"type":"mobile","error_code":null},"sms_pumping_risk":{"sms_pumping_risk_score":null,"error_code":60606}}"""),
        _ => throw new ArgumentOutOfRangeException(nameof(failure)),
    };

    /// <summary>Callers <c>dev</c> and <c>other</c> on one profile allowing the fictional NANP range, with <paramref name="lookup"/>.</summary>
    private static SendPolicy Policy(string lookup = """{ "mode": "firstContact" }""") =>
        PipelineHarness.ParsePolicy($$"""
            {
              "profiles": { "p": { "allow": { "patterns": ["+1NXX55501XX"] }, "countries": ["US"], "lookup": {{lookup}} } },
              "callers": { "dev": "p", "other": "p" }
            }
            """);
}
