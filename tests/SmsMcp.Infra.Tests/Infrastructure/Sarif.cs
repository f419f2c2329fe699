using System.Text;
using System.Text.Json;

namespace SmsMcp.Infra.Tests.Infrastructure;

/// <summary>Every result in SARIF output; with <c>--pattern</c> the CLI writes one SARIF document per file, back to back.</summary>
internal static class Sarif
{
    public static IReadOnlyList<string> Results(string output) => Read(output).Results;

    public static (int Documents, IReadOnlyList<string> Results) Read(string output)
    {
        var results = new List<string>();
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(output), new JsonReaderOptions { AllowMultipleValues = true });
        var documents = 0;
        while (reader.Read())
        {
            using var document = JsonDocument.ParseValue(ref reader);
            documents++;
            foreach (var run in document.RootElement.GetProperty("runs").EnumerateArray())
            {
                foreach (var result in run.GetProperty("results").EnumerateArray())
                {
                    results.Add(result.ToString());
                }
            }
        }

        Assert.True(documents > 0, "No SARIF document in the output.");
        return (documents, results);
    }
}
