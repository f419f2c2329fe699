using System.Reflection;

namespace SmsMcp.Infra.Tests.Infrastructure;

/// <summary>The tables the app uses: every store's <c>Table</c> constant in the SmsMcp assemblies.</summary>
internal static class AppTables
{
    public static IEnumerable<string> Names() =>
        OptionsCatalog.Assemblies()
            .SelectMany(a => a.GetTypes())
            .Select(t => t.GetField("Table", BindingFlags.Public | BindingFlags.Static))
            .Where(f => f is { IsLiteral: true } && f.FieldType == typeof(string))
            .Select(f => (string)f!.GetRawConstantValue()!)
            .Distinct();
}
