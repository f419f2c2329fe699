using SmsMcp.Core.Tests.Infrastructure;

namespace SmsMcp.Core.Tests.Policy;

/// <summary>One pipeline for the whole corpus (class fixture): each case checks the outbox and audit deltas it caused.</summary>
public sealed class CorpusHarness : IAsyncLifetime
{
    public PipelineHarness Harness { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Harness = await PipelineHarness.CreateAsync(policy: PipelineHarness.ParsePolicy(HostileSendCorpus.Policy));

    public async Task DisposeAsync() => await Harness.DisposeAsync();
}
