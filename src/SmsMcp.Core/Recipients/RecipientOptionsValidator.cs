using Microsoft.Extensions.Options;
using SmsMcp.Core.Phone;

namespace SmsMcp.Core.Recipients;

/// <summary>Refuses to start on an alias or number that is not well formed, naming the entry (not the number).</summary>
public sealed class RecipientOptionsValidator : IValidateOptions<RecipientOptions>
{
    public ValidateOptionsResult Validate(string? name, RecipientOptions options)
    {
        var failures = new List<string>();
        foreach (var (alias, number) in options.Aliases)
        {
            if (!RecipientDirectory.IsValidAlias(alias))
            {
                failures.Add($"{RecipientOptions.SectionName}:Aliases: '{alias}' is not a valid alias (1-64 of a-z, 0-9, '-', '_', '.').");
            }
            else if (!PhoneNumberParser.TryParse(number, out _, out var error))
            {
                failures.Add($"{RecipientOptions.SectionName}:Aliases:{alias}: the number is not valid E.164 ({error}).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
