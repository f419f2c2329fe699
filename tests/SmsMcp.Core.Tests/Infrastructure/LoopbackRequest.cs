namespace SmsMcp.Core.Tests.Infrastructure;

/// <summary>One request as <see cref="LoopbackHttpServer"/> read it.</summary>
public sealed record LoopbackRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers, string Body);
