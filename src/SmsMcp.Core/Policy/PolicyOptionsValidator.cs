using Microsoft.Extensions.Options;
using SmsMcp.Core.Hosting;

namespace SmsMcp.Core.Policy;

/// <summary>
/// Refuses to start when the policy is missing or invalid, listing every fault by field path. Runs at start
/// (<c>ValidateOnStart</c>) so a bad policy never reaches the first request.
/// </summary>
public sealed class PolicyOptionsValidator(SmsMcpEnvironment environment, UrlShorteners shorteners) : IValidateOptions<PolicyOptions>
{
    public ValidateOptionsResult Validate(string? name, PolicyOptions options) =>
        PolicyLoader.TryLoad(options, environment, shorteners, out _, out var source, out var errors)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(errors.Select(e => $"Policy {source}: {e}"));
}
