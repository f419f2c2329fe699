namespace SmsMcp.Infra.Tests.Infrastructure;

/// <summary>
/// A test of the deployable package, which needs the isolated-worker project. Skipped ONLY while
/// src/SmsMcp.Functions is absent from the repository (it is built in parallel with infra/); remove this attribute's
/// skip once it has landed.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class FunctionsProjectFactAttribute : FactAttribute
{
    public FunctionsProjectFactAttribute()
    {
        if (!File.Exists(Path.Combine(Bicep.RepositoryRoot, "src", "SmsMcp.Functions", "SmsMcp.Functions.csproj")))
        {
            Skip = "src/SmsMcp.Functions is not in the repository yet, so there is nothing to package.";
        }
    }
}
