using System.Text;
using System.Text.Json;
using SmsMcp.Core.Storage;
using SmsMcp.Infrastructure.Storage.AzureTables;

namespace SmsMcp.Core.Tests.Storage.AzureTables;

/// <summary>The wire format, for what Azurite does not show: bodies as the real service writes them.</summary>
public sealed class ODataEntityJsonTests
{
    [Fact]
    public void UnannotatedNumbers_AreInt32UnlessWrittenWithAFractionOrExponent()
    {
        var entity = Decode("""{"PartitionKey":"p","RowKey":"r","I":1,"D":1.0,"E":1E+300,"F":0.5}""");

        Assert.Equal(1, Assert.IsType<int>(entity.Properties["I"]));
        Assert.Equal(1.0, Assert.IsType<double>(entity.Properties["D"]));
        Assert.Equal(1e300, Assert.IsType<double>(entity.Properties["E"]));
        Assert.Equal(0.5, Assert.IsType<double>(entity.Properties["F"]));
    }

    [Fact]
    public void SystemAndMetadataProperties_AreDroppedAndTheBodyETagIsKept()
    {
        var entity = Decode("""
            {"odata.metadata":"m","odata.etag":"W/\"x\"","odata.type":"a.t","odata.id":"i","odata.editLink":"e",
             "PartitionKey":"p","RowKey":"r","Timestamp@odata.type":"Edm.DateTime","Timestamp":"2024-01-01T00:00:00Z","N":1}
            """);

        Assert.Equal(["N"], entity.Properties.Keys);
        Assert.Equal("W/\"x\"", entity.ETag);
    }

    [Fact]
    public void AnnotatedValues_AreReadAsTheirType()
    {
        var entity = Decode("""
            {"PartitionKey":"p","RowKey":"r",
             "L@odata.type":"Edm.Int64","L":"-9223372036854775808","D@odata.type":"Edm.Double","D":"-Infinity",
             "T@odata.type":"Edm.DateTime","T":"2024-02-29T23:59:59.1234567Z","G@odata.type":"Edm.Guid","G":"0f8fad5b-d9cb-469f-a165-70867728950e",
             "B@odata.type":"Edm.Binary","B":"AAEC"}
            """);

        Assert.Equal(long.MinValue, entity.Properties["L"]);
        Assert.Equal(double.NegativeInfinity, entity.Properties["D"]);
        Assert.Equal(new DateTimeOffset(2024, 2, 29, 23, 59, 59, TimeSpan.Zero).AddTicks(1234567), entity.Properties["T"]);
        Assert.Equal(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), entity.Properties["G"]);
        Assert.Equal(new byte[] { 0, 1, 2 }, entity.Properties["B"]);
    }

    [Fact]
    public void Encode_AnnotatesEveryTypeJsonCannotCarryExactly()
    {
        var json = Encoding.UTF8.GetString(ODataEntityJson.Encode(new TableEntity("p", "r", new Dictionary<string, object>
        {
            ["I"] = 1, ["L"] = 1L, ["D"] = 1.0, ["N"] = double.NaN, ["S"] = "s", ["B"] = true,
        })));

        Assert.Equal(
            """{"PartitionKey":"p","RowKey":"r","I":1,"L":"1","L@odata.type":"Edm.Int64","D":1,"D@odata.type":"Edm.Double","N":"NaN","N@odata.type":"Edm.Double","S":"s","B":true}""",
            json);
    }

    [Theory]
    [InlineData("""{"PartitionKey":"p","N":1}""")]
    [InlineData("""{"PartitionKey":"p","RowKey":"r","N@odata.type":"Edm.Int64","N":"S3cret"}""")]
    [InlineData("""{"PartitionKey":"p","RowKey":"r","N@odata.type":"Edm.Unknown","N":"x"}""")]
    [InlineData("""{"PartitionKey":"p","RowKey":"r","N":[1]}""")]
    public void MalformedEntity_IsInvalidDataWithoutEchoingValues(string json)
    {
        var error = Assert.Throws<InvalidDataException>(() => Decode(json));

        Assert.DoesNotContain("S3cret", error.Message, StringComparison.Ordinal);
    }

    private static TableEntity Decode(string json)
    {
        using var document = JsonDocument.Parse(json);
        return ODataEntityJson.Decode(document.RootElement, etagHeader: null);
    }
}
