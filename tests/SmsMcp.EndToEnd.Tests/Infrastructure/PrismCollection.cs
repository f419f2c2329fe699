namespace SmsMcp.EndToEnd.Tests.Infrastructure;

/// <summary>Test classes that talk to Prism share one <see cref="PrismFixture"/>: Prism starts once per run.</summary>
[CollectionDefinition(Name)]
public sealed class PrismCollection : ICollectionFixture<PrismFixture>
{
    public const string Name = "Prism (Twilio OpenAPI)";
}
