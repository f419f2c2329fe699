using Microsoft.Extensions.Options;
using SmsMcp.Http.Auth;

namespace SmsMcp.Http.Admin;

/// <summary>Refuses to start on a malformed operator key entry, naming the field (never a key or hash value).</summary>
public sealed class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminOptions options)
    {
        var failures = new List<string>();
        ApiKeyEntryValidation.Validate(options.Keys, $"{AdminOptions.SectionName}:Keys", failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
