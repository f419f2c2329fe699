using System.Text.Json;
using System.Text.Json.Serialization;
using SmsMcp.Cli.Output;

namespace SmsMcp.Cli.Policy;

/// <summary>
/// A table of sends to pin what a policy allows (<c>Schemas/policy-cases.schema.json</c>):
/// <c>{"cases": [{"name", "caller", "to", "body", "expect"}]}</c>, where <c>expect</c> is <c>allowed</c>,
/// <c>refused</c> (any reason) or a reason code such as <c>country_not_allowed</c>.
/// </summary>
internal sealed record PolicyCases([property: JsonPropertyName("cases")] IReadOnlyList<PolicyCase> Cases)
{
    public const string Allowed = "allowed";
    public const string Refused = "refused";

    public static PolicyCases Read(FileInfo file)
    {
        var bytes = PolicyFile.ReadBytes(file);
        PolicyCases? cases;
        try
        {
            cases = JsonSerializer.Deserialize<PolicyCases>(bytes, JsonAnswer.Options);
        }
        catch (JsonException e)
        {
            throw new CommandFailure(ExitCodes.Failed, "cases_invalid", $"{file.Name} is not a cases file: {e.Path} is malformed (line {e.LineNumber + 1}).");
        }

        if (cases?.Cases is not { Count: > 0 } list)
        {
            throw new CommandFailure(ExitCodes.Failed, "cases_invalid", $"{file.Name} has no cases (expected {{\"cases\": [ ... ]}}).");
        }

        for (var i = 0; i < list.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(list[i].Caller) || string.IsNullOrWhiteSpace(list[i].Expect))
            {
                throw new CommandFailure(ExitCodes.Failed, "cases_invalid", $"{file.Name}: cases[{i}] needs \"caller\" and \"expect\".");
            }
        }

        return cases;
    }
}

internal sealed record PolicyCase(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("caller")] string Caller,
    [property: JsonPropertyName("to")] string? To,
    [property: JsonPropertyName("body")] string? Body,
    [property: JsonPropertyName("expect")] string Expect);
