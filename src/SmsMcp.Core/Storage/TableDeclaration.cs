namespace SmsMcp.Core.Storage;

/// <summary>
/// A table a store needs. Each feature declares its stores' tables where it registers them (<c>AddTable</c> in its
/// <c>AddXxx()</c>), so the start-up <see cref="TableInitializer"/> creates them without knowing any feature.
/// </summary>
public sealed record TableDeclaration(string Name);
