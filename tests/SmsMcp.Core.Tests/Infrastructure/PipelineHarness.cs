using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SmsMcp.Core.Approvals;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Callers;
using SmsMcp.Core.Controls;
using SmsMcp.Core.Delivery;
using SmsMcp.Core.Hosting;
using SmsMcp.Core.Idempotency;
using SmsMcp.Core.Lookup;
using SmsMcp.Core.Messages;
using SmsMcp.Core.Outcomes;
using SmsMcp.Core.Policy;
using SmsMcp.Core.Providers;
using SmsMcp.Core.Quotas;
using SmsMcp.Core.Sending;
using SmsMcp.Core.Storage;
using SmsMcp.Core.Suppression;
using SmsMcp.Core.Telemetry;
using SmsMcp.Core.Watchdog.Counters;
using SmsMcp.Infrastructure.Hosting;
using SmsMcp.Infrastructure.Sandbox;
using SmsMcp.Infrastructure.Storage.Sqlite;

namespace SmsMcp.Core.Tests.Infrastructure;

/// <summary>
/// The real pipeline on a real SQLite file (or any store a test passes, such as Azurite) and the real sandbox
/// outbox, with fault injection on storage, under the shipped development policy (whose caller is <c>dev</c>) or
/// any policy a test passes.
/// </summary>
public sealed class PipelineHarness : IAsyncDisposable
{
    public static readonly CallerIdentity Caller = new("dev");

    private readonly string _directory = Directory.CreateTempSubdirectory("smsmcp-pipeline-").FullName;
    private readonly LoggerFactory _loggers;
    private readonly ServiceProvider _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private PipelineHarness(ISmsProvider? provider, SendPolicy policy, INumberLookup? lookup, ILoggerProvider? logs, ITableStore? store, string? outboxPath, TimeProvider? clock)
    {
        Clock = clock ?? new FakeTimeProvider(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));
        Store = new FaultyTableStore(store ?? new SqliteTableStore(new SqliteStorageOptions { Path = Path.Combine(_directory, "test.db") }));
        Sandbox = new SandboxSmsProvider(outboxPath ?? Path.Combine(_directory, "outbox.jsonl"), Clock);
        var pseudonymizer = Pseudonymizer = new Pseudonymizer(new byte[32]);
        Audit = new AuditLog(Store, Sealer, Clock);
        Verifier = new AuditVerifier(Store, Sealer);
        Messages = new MessageStore(Store);
        Idempotency = new IdempotencyStore(Store, Clock);
        // A generous contention deadline: the scale-out tests check exactness, and on a loaded two-core machine the
        // 5 s default can turn a quota refusal into storage_unavailable (still fail closed, but not what they check).
        Ledger = new QuotaLedger(Store, Clock, Options.Create(new QuotaOptions { ContentionDeadline = TimeSpan.FromSeconds(20) }), NullLogger<QuotaLedger>.Instance);
        Quotas = new QuotaGate(new QuotaPlanner(policy, pseudonymizer), Ledger, policy);
        Policy = new PolicyEngine(policy, Shorteners, NullLogger<PolicyEngine>.Instance);
        Suppressions = new SuppressionList(Store, pseudonymizer, Clock);
        Metrics = new SmsMcpMetrics(_meters.GetRequiredService<IMeterFactory>(), policy);
        Controls = new RuntimeControls(Store, Audit, Metrics, Clock);
        Contacts = new ContactBook(Store);
        LookupCache = new LookupCache(Store, Options.Create(new LookupOptions()), Clock);
        _loggers = new LoggerFactory(logs is null ? [] : [logs]);
        Lookups = new LookupGuard(Policy, LookupCache, lookup ?? new SandboxNumberLookup(), Quotas, _loggers.CreateLogger<LookupGuard>());
        ApprovalStore = new ApprovalStore(Store);
        Traffic = new TrafficCounters(Store, policy, pseudonymizer, Clock);
        Pipeline = new SendPipeline(Policy, Suppressions, Contacts, Lookups, ApprovalStore, Options.Create(new ApprovalOptions()), Controls, Audit, Messages,
            Idempotency, Quotas, provider ?? Sandbox, pseudonymizer, Traffic, Metrics, Clock, _loggers.CreateLogger<SendPipeline>());
        Approvals = new ApprovalService(ApprovalStore, Messages, Pipeline, Audit, Options.Create(new ApprovalOptions()), Clock, NullLogger<ApprovalService>.Instance);
    }

    /// <summary>The clock every component runs on: a <see cref="FakeTimeProvider"/> unless the harness was made on the system clock.</summary>
    public TimeProvider Clock { get; }

    /// <summary>The fake clock the test moves; its timers fire only when it is advanced.</summary>
    public FakeTimeProvider Time => Clock as FakeTimeProvider ?? throw new InvalidOperationException("This harness runs on the system clock.");
    public Pseudonymizer Pseudonymizer { get; }
    public FaultyTableStore Store { get; }
    public SandboxSmsProvider Sandbox { get; }
    public AuditLog Audit { get; }

    /// <summary>The seal key the harness's audit log writes with (fixed, like its pseudonymization key).</summary>
    public AuditSealer Sealer { get; } = new(Enumerable.Repeat((byte)7, 32).ToArray());

    public AuditVerifier Verifier { get; }
    public MessageStore Messages { get; }
    public IdempotencyStore Idempotency { get; }
    public QuotaLedger Ledger { get; }
    public QuotaGate Quotas { get; }
    public SendPipeline Pipeline { get; }
    public PolicyEngine Policy { get; }
    public SuppressionList Suppressions { get; }
    public RuntimeControls Controls { get; }
    public ContactBook Contacts { get; }
    public LookupCache LookupCache { get; }
    public LookupGuard Lookups { get; }
    public ApprovalStore ApprovalStore { get; }
    public TrafficCounters Traffic { get; }

    /// <summary>The domain metrics, on this harness's own meter factory (a <c>MeterListener</c> can tell its meter from other harnesses').</summary>
    public SmsMcpMetrics Metrics { get; }

    /// <summary>The factory <see cref="Metrics"/> made its meter with: a listener matches <c>Meter.Scope</c> against it.</summary>
    public IMeterFactory MeterFactory => _meters.GetRequiredService<IMeterFactory>();
    public ApprovalService Approvals { get; }

    public static UrlShorteners Shorteners { get; } = UrlShorteners.BuiltIn();

    /// <summary>The tables the core's features declare in their <c>AddXxx()</c>: what the hosts create at start.</summary>
    public static IReadOnlyList<TableDeclaration> DeclaredTables { get; } =
        [.. new ServiceCollection()
            .AddSmsMcpCore(new ConfigurationBuilder().Build(), SmsMcpEnvironment.Create(isDevelopment: true, Path.GetTempPath()))
            .Select(d => d.ImplementationInstance)
            .OfType<TableDeclaration>()];

    /// <summary>A validated policy from JSON text; fails the test with the loader's errors when it is invalid.</summary>
    public static SendPolicy ParsePolicy(string json) =>
        PolicyLoader.Parse(Encoding.UTF8.GetBytes(json), Shorteners, out var errors)
            ?? throw new InvalidOperationException(string.Join(Environment.NewLine, errors));

    /// <summary>The shipped development policy.</summary>
    public static SendPolicy DevelopmentPolicy() =>
        PolicyLoader.Parse(PolicyLoader.DevelopmentPolicyBytes(), Shorteners, out _)!;

    /// <param name="lookup">The first-contact lookup; the sandbox's by default.</param>
    /// <param name="logs">Receives the pipeline's and the lookup guard's log lines.</param>
    /// <param name="store">The store under the fault injector; default a fresh SQLite file.</param>
    /// <param name="outboxPath">The sandbox outbox; several harnesses on one store and one outbox stand for several server instances.</param>
    /// <param name="clock">Default: a <see cref="FakeTimeProvider"/>. Concurrent sends that wait for one another (one
    /// idempotency key in progress, the outbox lock) need <see cref="TimeProvider.System"/>: a fake clock's timers fire
    /// only when the test moves it.</param>
    public static async Task<PipelineHarness> CreateAsync(ISmsProvider? provider = null, SendPolicy? policy = null, INumberLookup? lookup = null, ILoggerProvider? logs = null, ITableStore? store = null, string? outboxPath = null, TimeProvider? clock = null)
    {
        var harness = new PipelineHarness(provider, policy ?? DevelopmentPolicy(), lookup, logs, store, outboxPath, clock);
        await new TableInitializer(DeclaredTables, harness.Store).StartAsync(CancellationToken.None);

        return harness;
    }

    /// <summary>
    /// A harness on <paramref name="store"/> appending to <paramref name="outboxPath"/>: several of them on one backend and
    /// one outbox stand for several server instances (each with its own store client, audit writer and clock). They run
    /// on the system clock, as servers do: their waits for one another (an idempotency key in progress, the outbox lock)
    /// take real time, which a fake clock would only pass when a test moved it.
    /// </summary>
    public static Task<PipelineHarness> CreateOnAsync(ITableStore store, string outboxPath) =>
        CreateAsync(store: store, outboxPath: outboxPath, clock: TimeProvider.System);

    public IReadOnlyList<string> Outbox() => File.Exists(Sandbox.OutboxPath) ? File.ReadAllLines(Sandbox.OutboxPath) : [];

    public Task<IReadOnlyList<AuditRecord>> AuditAsync() =>
        Audit.ReadDayAsync(DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime), CancellationToken.None);

    public Task<SendOutcome> SendAsync(string to, string body, string? key = null) =>
        Pipeline.SendAsync(new SendRequest(Caller, to, body, key), CancellationToken.None);

    public Task<SendOutcome> SendAsAsync(CallerIdentity caller, string? to, string? body) =>
        Pipeline.SendAsync(new SendRequest(caller, to, body), CancellationToken.None);

    public ValueTask DisposeAsync()
    {
        Sandbox.Dispose();
        _loggers.Dispose();
        _meters.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }

        return ValueTask.CompletedTask;
    }
}
