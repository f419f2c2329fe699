using System.Reflection;
using SmsMcp.Core.Vocabulary;
using SmsMcp.Http.Mcp;
using SmsMcp.Http.Mcp.Tools;
using SmsMcp.Server.Tests.Infrastructure;

namespace SmsMcp.Server.Tests.Documentation;

/// <summary>Operators alert on reason codes and models act on them: every code the server can return is in the README.</summary>
public sealed class ReasonCodeDocumentationTests
{
    public static IEnumerable<object[]> Codes() =>
        typeof(ReasonCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Concat([ToolResults.InvalidArgumentsCode, GetMessageStatusTool.NotFoundCode, SmsMcp.Http.Auth.ToolGrants.InsufficientScopeCode])
            .Select(code => new object[] { code });

    [Theory]
    [MemberData(nameof(Codes))]
    public void EveryReasonCode_IsDocumented(string code)
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        Assert.Contains($"`{code}`", readme, StringComparison.Ordinal);
    }
}
