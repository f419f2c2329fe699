using System.Reflection;
using Microsoft.Extensions.Configuration;
using SmsMcp.Core.Audit;
using SmsMcp.Http.Auth;
using SmsMcp.Infrastructure.Storage;

namespace SmsMcp.Infra.Tests.Infrastructure;

/// <summary>
/// The server's options types, found the way they declare themselves: a class with a <c>SectionName</c> constant.
/// A setting maps to the type whose section is its longest prefix (<c>Sms:Twilio:From</c> → TwilioOptions, not the
/// <c>Sms</c> section's type) and must bind there with unknown keys refused.
/// </summary>
internal static class OptionsCatalog
{
    public static IEnumerable<Assembly> Assemblies() => [typeof(AuditOptions).Assembly, typeof(StorageOptions).Assembly, typeof(AuthOptions).Assembly];

    public static IReadOnlyDictionary<string, Type> Sections { get; } = Assemblies()
        .SelectMany(a => a.GetTypes())
        .Where(t => t is { IsClass: true, IsAbstract: false } && t.GetConstructor(Type.EmptyTypes) is not null)
        .Select(t => (Type: t, Field: t.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)))
        .Where(x => x.Field is { IsLiteral: true })
        .ToDictionary(x => (string)x.Field!.GetRawConstantValue()!, x => x.Type, StringComparer.OrdinalIgnoreCase);

    /// <summary>Null when the key binds to a property of its options type; otherwise why not.</summary>
    public static string? WhyUnbound(string key, string value)
    {
        var section = Sections.Keys
            .Where(s => key.StartsWith(s + ConfigurationPath.KeyDelimiter, StringComparison.OrdinalIgnoreCase))
            .MaxBy(s => s.Length);
        if (section is null)
        {
            return $"{key}: no options type reads the section it is in.";
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(key, value)]).Build();
        try
        {
            configuration.GetSection(section).Get(Sections[section], o => o.ErrorOnUnknownConfiguration = true);
            return null;
        }
        catch (InvalidOperationException e)
        {
            return $"{key}: {Sections[section].Name} has no such property ({e.Message})";
        }
    }
}
