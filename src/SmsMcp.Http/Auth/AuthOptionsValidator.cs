using Microsoft.Extensions.Options;
using SmsMcp.Core.Callers;

namespace SmsMcp.Http.Auth;

/// <summary>Refuses to start on a malformed caller entry, naming the field (never a key or hash value).</summary>
public sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        ApiKeyEntryValidation.Validate(options.Callers, $"{AuthOptions.SectionName}:Callers", failures);
        for (var i = 0; i < options.Callers.Count; i++)
        {
            if (ToolGrants.Parse(options.Callers[i].Access) is null)
            {
                failures.Add($"{AuthOptions.SectionName}:Callers:{i}:Access must be Send or Read.");
            }
        }

        for (var i = 0; i < options.Principals.Count; i++)
        {
            var principal = options.Principals[i];
            var path = $"{AuthOptions.SectionName}:Principals:{i}";
            if (!Guid.TryParse(principal.ObjectId, out _))
            {
                failures.Add($"{path}:ObjectId must be a GUID.");
            }

            if (!CallerIdentity.IsValidId(principal.CallerId))
            {
                failures.Add($"{path}:CallerId must be 1-64 of letters, digits, '-', '_', '.', ':'.");
            }

            if (ToolGrants.Parse(principal.Access) is null)
            {
                failures.Add($"{path}:Access must be Send or Read.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
