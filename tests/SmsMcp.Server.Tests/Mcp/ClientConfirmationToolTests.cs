using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Vocabulary;
using SmsMcp.Server.Tests.Infrastructure;

namespace SmsMcp.Server.Tests.Mcp;

/// <summary>
/// Client confirmation in process, as raw 2026-07-28 JSON-RPC (what a client would not send on its own): preview_sms
/// says confirmation is required; the first send_sms answers input_required with a form and a request state; the state
/// answers only the exact request it was issued for and forged answers without it are refused; and with every log line
/// captured at Trace, neither the state, its key nor the body ever reaches the log.
/// </summary>
public sealed class ClientConfirmationToolTests(ClientConfirmationToolTests.ConfirmFactory factory) : IClassFixture<ClientConfirmationToolTests.ConfirmFactory>
{
    private const string July2026 = "2026-07-28";

    public sealed class ConfirmFactory : SmsMcpFactory
    {
        public const string Policy = """
            {
              "recipients": { "demo": { "number": "+12025550123" } },
              "profiles": { "confirming": { "allow": { "recipients": ["demo"] }, "countries": ["US"], "confirm": "client", "confirmFallback": "approval" } },
              "callers": { "dev": "confirming" },
              "pricing": { "currency": "USD", "perSegment": { "US": 0.0083 } }
            }
            """;

        public string StateKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

        protected override IEnumerable<KeyValuePair<string, string>> Settings
        {
            get
            {
                var path = Path.Combine(DataDirectory, "confirm-policy.json");
                File.WriteAllText(path, Policy);
                return [new("Policy:Path", path), new("Confirmation:StateKey", StateKey)];
            }
        }
    }

    private readonly HttpClient _client = factory.CreateClient();

    private static string Call(string tool, JsonObject arguments, JsonObject? retry = null, bool elicitation = true)
    {
        var parameters = new JsonObject
        {
            ["name"] = tool,
            ["arguments"] = arguments,
            ["_meta"] = new JsonObject
            {
                ["io.modelcontextprotocol/protocolVersion"] = July2026,
                ["io.modelcontextprotocol/clientInfo"] = new JsonObject { ["name"] = "raw", ["version"] = "1" },
                ["io.modelcontextprotocol/clientCapabilities"] = elicitation ? new JsonObject { ["elicitation"] = new JsonObject { ["form"] = new JsonObject() } } : new JsonObject(),
            },
        };
        foreach (var (key, value) in retry ?? [])
        {
            parameters[key] = value?.DeepClone();
        }

        return new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 9, ["method"] = "tools/call", ["params"] = parameters }.ToJsonString();
    }

    private async Task<JsonNode> PostAsync(string json, string tool)
    {
        using var request = McpJsonRpc.Post(json, SmsMcpFactory.ApiKey, protocolVersion: July2026);
        request.Headers.Add("Mcp-Method", "tools/call");
        request.Headers.Add("Mcp-Name", tool);
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await McpJsonRpc.ReadMessageAsync(response))["result"]!;
    }

    private static JsonObject Send(string body) => new() { ["to"] = "demo", ["body"] = body };

    private static JsonObject Accepted(string state) => new()
    {
        ["requestState"] = state,
        ["inputResponses"] = new JsonObject { ["confirm_send"] = new JsonObject { ["action"] = "accept", ["content"] = new JsonObject { ["confirm"] = true } } },
    };

    [Fact]
    public async Task PreviewSms_SaysClientConfirmationAndItsFallback()
    {
        var result = await PostAsync(Call("preview_sms", Send("preview me")), "preview_sms");

        var preview = result["structuredContent"]!;
        Assert.True(preview["allowed"]!.GetValue<bool>());
        Assert.Equal("client", preview["confirmation"]!.GetValue<string>());
        Assert.Equal("approval", preview["confirmation_fallback"]!.GetValue<string>());
    }

    [Fact]
    public async Task FirstCall_AsksWithAForm_AcceptedRetrySends_NothingSecretInTheLog()
    {
        const string body = "confirm in process 4f1c";
        var before = factory.OutboxLines().Count;

        var asked = await PostAsync(Call("send_sms", Send(body)), "send_sms");
        Assert.Equal("input_required", asked["resultType"]!.GetValue<string>());
        var state = asked["requestState"]!.GetValue<string>();
        var elicitation = asked["inputRequests"]!["confirm_send"]!;
        Assert.Equal("elicitation/create", elicitation["method"]!.GetValue<string>());
        Assert.Equal("form", elicitation["params"]!["mode"]!.GetValue<string>());
        var message = elicitation["params"]!["message"]!.GetValue<string>();
        Assert.Contains(body, message, StringComparison.Ordinal);
        Assert.Contains("0.0083 USD", message, StringComparison.Ordinal);
        Assert.Equal(before, factory.OutboxLines().Count);

        var sent = await PostAsync(Call("send_sms", Send(body), Accepted(state)), "send_sms");
        Assert.Equal("delivered", sent["structuredContent"]!["status"]!.GetValue<string>());
        Assert.Equal(before + 1, factory.OutboxLines().Count);

        Assert.All(factory.Logs.Lines, line =>
        {
            Assert.DoesNotContain(state, line, StringComparison.Ordinal);
            Assert.DoesNotContain(factory.StateKey, line, StringComparison.Ordinal);
            Assert.DoesNotContain(body, line, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task RepeatOfAConfirmedSend_SameKey_IsNotAskedAgain_AnswersTheFirstResult_SendsNothingMore()
    {
        var key = "retry-after-confirm-" + Guid.NewGuid().ToString("N");
        JsonObject Arguments(string idempotencyKey) => new() { ["to"] = "demo", ["body"] = "confirmed once, retried 2b61", ["idempotency_key"] = idempotencyKey };
        var asked = await PostAsync(Call("send_sms", Arguments(key)), "send_sms");
        var sent = await PostAsync(Call("send_sms", Arguments(key), Accepted(asked["requestState"]!.GetValue<string>())), "send_sms");
        var messageId = sent["structuredContent"]!["message_id"]!.GetValue<string>();
        var outbox = factory.OutboxLines().Count;

        var repeated = await PostAsync(Call("send_sms", Arguments(key)), "send_sms");

        Assert.NotEqual("input_required", repeated["resultType"]?.GetValue<string>());
        Assert.False(McpJsonRpc.IsError(repeated), McpJsonRpc.Text(repeated));
        Assert.Equal(messageId, repeated["structuredContent"]!["message_id"]!.GetValue<string>());
        Assert.Equal(outbox, factory.OutboxLines().Count);

        // Another key for the same message is a new send: asked.
        var another = await PostAsync(Call("send_sms", Arguments("another-key-" + Guid.NewGuid().ToString("N"))), "send_sms");
        Assert.Equal("input_required", another["resultType"]!.GetValue<string>());
    }

    [Fact]
    public async Task Question_LeavesOnePendingAuditRecord_CountedAsNoRefusal()
    {
        const string body = "a question nobody answers 7d20";
        using var counts = await RefusalCounts.StartAsync(factory.Services);
        var audit = factory.Services.GetRequiredService<AuditLog>();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var before = (await audit.ReadDayAsync(today, CancellationToken.None)).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);

        var asked = await PostAsync(Call("send_sms", Send(body)), "send_sms");

        Assert.Equal("input_required", asked["resultType"]!.GetValue<string>());
        var record = Assert.Single(await audit.ReadDayAsync(today, CancellationToken.None), r => !before.Contains(r.Id));
        Assert.Equal(("send_sms", AuditDecision.Pending, ReasonCodes.ConfirmationRequested, "dev"), (record.Tool, record.Decision, record.ReasonCode, record.CallerId));
        Assert.NotNull(record.RecipientRef);
        Assert.Equal((body.Length, 1), (record.BodyLength, record.Segments));
        Assert.Equal((0L, 0L, 0), await counts.CountedAsync("dev", ReasonCodes.ConfirmationRequested, DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task Declined_IsRefused_AndCountedForTheWatchdogAndTheMetric_NothingSent()
    {
        var asked = await PostAsync(Call("send_sms", Send("a body the human declines")), "send_sms");
        var before = factory.OutboxLines().Count;
        using var counts = await RefusalCounts.StartAsync(factory.Services);
        var declined = new JsonObject
        {
            ["requestState"] = asked["requestState"]!.GetValue<string>(),
            ["inputResponses"] = new JsonObject { ["confirm_send"] = new JsonObject { ["action"] = "decline" } },
        };

        var answer = await PostAsync(Call("send_sms", Send("a body the human declines"), declined), "send_sms");

        Assert.StartsWith("confirmation_declined:", McpJsonRpc.Text(answer), StringComparison.Ordinal);
        Assert.Equal(before, factory.OutboxLines().Count);
        Assert.Equal((1L, 1L, 1), await counts.CountedAsync("dev", "confirmation_declined", DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task StateForOneBody_RetriedWithAnother_IsInvalid_NothingSent()
    {
        var asked = await PostAsync(Call("send_sms", Send("the body that was shown")), "send_sms");
        var before = factory.OutboxLines().Count;

        var swapped = await PostAsync(Call("send_sms", Send("a body never shown"), Accepted(asked["requestState"]!.GetValue<string>())), "send_sms");

        Assert.True(McpJsonRpc.IsError(swapped));
        Assert.StartsWith("confirmation_invalid:", McpJsonRpc.Text(swapped), StringComparison.Ordinal);
        Assert.Equal(before, factory.OutboxLines().Count);
    }

    [Fact]
    public async Task AnswerWithoutState_IsInvalid_NothingSent()
    {
        var before = factory.OutboxLines().Count;
        var retry = Accepted("x");
        retry.Remove("requestState");

        var forged = await PostAsync(Call("send_sms", Send("forged answer"), retry), "send_sms");

        Assert.StartsWith("confirmation_invalid:", McpJsonRpc.Text(forged), StringComparison.Ordinal);
        Assert.Equal(before, factory.OutboxLines().Count);
    }

    [Fact]
    public async Task NoElicitationCapability_FallsBackToApproval_NothingSent()
    {
        var before = factory.OutboxLines().Count;

        var held = await PostAsync(Call("send_sms", Send("no form here"), elicitation: false), "send_sms");

        Assert.Equal("pending_approval", held["structuredContent"]!["status"]!.GetValue<string>());
        Assert.Equal(before, factory.OutboxLines().Count);
    }
}
