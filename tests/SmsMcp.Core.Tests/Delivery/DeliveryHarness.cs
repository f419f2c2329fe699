using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SmsMcp.Core.Delivery;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Core.Vocabulary;
using SmsMcp.Infrastructure.Twilio;
using SmsMcp.Server.Tests.Infrastructure;
using SmsMcp.Core.Watchdog.Counters;

namespace SmsMcp.Core.Tests.Delivery;

/// <summary>
/// The real send pipeline on SQLite with the real Twilio provider against a loopback Twilio (each create answered with a
/// fresh SID; each fetch echoes the SID it asks for with <see cref="FetchedStatus"/>), plus the status walk on the same
/// stores. Every log line is captured.
/// </summary>
internal sealed class DeliveryHarness : IAsyncDisposable
{
    private DeliveryHarness(LoopbackHttpServer twilio, TwilioHarness sms, PipelineHarness pipeline)
    {
        Twilio = twilio;
        Sms = sms;
        Pipeline = pipeline;
        var logs = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
        Service = new DeliveryStatusService(pipeline.Messages, pipeline.Audit, pipeline.Traffic, pipeline.Suppressions, pipeline.Pseudonymizer, pipeline.Time,
            logs.CreateLogger<DeliveryStatusService>());
        Reconciler = new StatusReconciler(pipeline.Messages, Service, Options.Create(new ReconciliationOptions()), pipeline.Time,
            logs.CreateLogger<StatusReconciler>(), new TwilioStatusFetcher(sms.Client, logs.CreateLogger<TwilioStatusFetcher>()));
    }

    public LoopbackHttpServer Twilio { get; }
    public TwilioHarness Sms { get; }
    public PipelineHarness Pipeline { get; }
    /// <summary>The watchdog's bucket of <paramref name="callerId"/> for the harness clock's current period.</summary>
    public Task<TrafficBucket> BucketAsync(string callerId) =>
        Pipeline.Traffic.ReadAsync(callerId, TrafficCounters.PeriodStart(Pipeline.Time.GetUtcNow()), CancellationToken.None);

    public DeliveryStatusService Service { get; }
    public StatusReconciler Reconciler { get; }
    public CapturingLoggerProvider Logs { get; } = new();

    /// <summary>What a fetch reports: Twilio status word, error code.</summary>
    public (string Status, int? ErrorCode) FetchedStatus { get; set; } = ("delivered", null);

    /// <summary>When true, every create is answered by a dropped connection (the outcome is unknown).</summary>
    public bool DropCreates { get; set; }

    public static string Sid(int n) => "SM" + n.ToString("x32", CultureInfo.InvariantCulture);

    public static async Task<DeliveryHarness> CreateAsync(IDictionary<string, string?>? twilioSettings = null)
    {
        DeliveryHarness? self = null;
        var twilio = new LoopbackHttpServer((n, request) => self!.Answer(n, request));
        var sms = new TwilioHarness(twilio.BaseUrl, twilioSettings);
        var pipeline = await PipelineHarness.CreateAsync(sms.Provider);
        self = new DeliveryHarness(twilio, sms, pipeline);
        return self;
    }

    /// <summary>Sends to the development alias <c>demo</c> (+12025550123) and returns our message id.</summary>
    public async Task<string> SendAsync(string to = "demo")
    {
        var outcome = await Pipeline.SendAsync(to, "status walk test body");
        return outcome.Result?.MessageId ?? throw new InvalidOperationException("Not sent: " + outcome.Refusal?.Code);
    }

    public async Task<string> ProviderIdOf(string messageId) =>
        (await Pipeline.Messages.GetAsync(PipelineHarness.Caller.Id, messageId, CancellationToken.None))!.ProviderMessageId!;

    public Task<DeliveryUpdateOutcome> CallbackAsync(string messageId, string sid, string status, int? errorCode = null, string? to = TwilioHarness.ToE164) =>
        Service.ApplyAsync(TwilioDeliveryReports.From(messageId, sid, status, errorCode, to), DeliveryStatusService.CallbackTool, CancellationToken.None);

    public async Task<IReadOnlyList<SmsMcp.Core.Audit.AuditRecord>> TransitionsAsync() =>
        [.. (await Pipeline.AuditAsync()).Where(r => r.Tool is DeliveryStatusService.CallbackTool or DeliveryStatusService.ReconcileTool)];

    public async ValueTask DisposeAsync()
    {
        await Pipeline.DisposeAsync();
        await Sms.DisposeAsync();
        await Twilio.DisposeAsync();
    }

    private LoopbackReply Answer(int n, LoopbackRequest request)
    {
        if (request.Method == "POST")
        {
            return DropCreates ? LoopbackReply.Reset : LoopbackReply.Created(Sid(n));
        }

        // GET /2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json
        var sid = request.Target.Split('/')[^1].Split('.')[0];
        var error = FetchedStatus.ErrorCode?.ToString(CultureInfo.InvariantCulture) ?? "null";
        return LoopbackReply.Json(200, $$"""{"sid":"{{sid}}","status":"{{FetchedStatus.Status}}","error_code":{{error}},"to":"{{TwilioHarness.ToE164}}"}""");
    }
}
