using Microsoft.Extensions.Options;

namespace SmsMcp.Core.Policy;

/// <summary>
/// Refuses to start when the policy is missing or invalid, listing every fault by field path. Runs at start
/// (<c>ValidateOnStart</c>) so a bad policy never reaches the first request.
/// </summary>
public sealed class PolicyOptionsValidator(PolicyLoadOnce policy) : IValidateOptions<PolicyOptions>
{
    public ValidateOptionsResult Validate(string? name, PolicyOptions options) =>
        policy.TryLoad(options, out _, out var source, out var errors)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(errors.Select(e => $"Policy {source}: {e}"));
}
