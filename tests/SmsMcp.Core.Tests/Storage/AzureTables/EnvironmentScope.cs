namespace SmsMcp.Core.Tests.Storage.AzureTables;

/// <summary>Sets (or, with null, removes) environment variables and puts the previous values back on dispose.</summary>
internal sealed class EnvironmentScope : IDisposable
{
    private readonly List<(string Name, string? Previous)> _previous = [];

    public EnvironmentScope(params (string Name, string? Value)[] variables)
    {
        foreach (var (name, value) in variables)
        {
            _previous.Add((name, Environment.GetEnvironmentVariable(name)));
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    public void Dispose()
    {
        foreach (var (name, previous) in _previous)
        {
            Environment.SetEnvironmentVariable(name, previous);
        }
    }
}
