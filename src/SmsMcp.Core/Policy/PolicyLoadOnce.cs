using SmsMcp.Core.Hosting;

namespace SmsMcp.Core.Policy;

/// <summary>
/// Loads the policy once and gives the same result to the start-up validator and to the <see cref="SendPolicy"/>
/// singleton: reading the file twice could validate one version and serve another.
/// </summary>
public sealed class PolicyLoadOnce(SmsMcpEnvironment environment, UrlShorteners shorteners)
{
    private readonly Lock _lock = new();
    private (PolicyOptions Options, SendPolicy? Policy, string Source, IReadOnlyList<string> Errors)? _loaded;

    /// <summary>Loads and validates (once per options instance); on failure <paramref name="errors"/> names each faulty field.</summary>
    public bool TryLoad(PolicyOptions options, out SendPolicy? policy, out string source, out IReadOnlyList<string> errors)
    {
        lock (_lock)
        {
            if (_loaded is not { } loaded || !ReferenceEquals(loaded.Options, options))
            {
                PolicyLoader.TryLoad(options, environment, shorteners, out var read, out var readSource, out var readErrors);
                loaded = (options, read, readSource, readErrors);
                _loaded = loaded;
            }

            (_, policy, source, errors) = loaded;
            return policy is not null;
        }
    }

    /// <summary>The policy <see cref="TryLoad"/> gives, or <see cref="PolicyInvalidException"/> with its errors.</summary>
    public SendPolicy Load(PolicyOptions options) =>
        TryLoad(options, out var policy, out var source, out var errors) ? policy! : throw new PolicyInvalidException(source, errors);
}
