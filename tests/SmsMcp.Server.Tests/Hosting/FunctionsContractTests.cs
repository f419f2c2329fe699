using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SmsMcp.Server.Tests.Infrastructure;

namespace SmsMcp.Server.Tests.Hosting;

/// <summary>
/// The Azure Functions custom-handler contract, driven the way the host drives it: every function.json route
/// and method is served, timers answer the invocation payload shape, host.json forwards HTTP unchanged.
/// </summary>
public sealed class FunctionsContractTests(SmsMcpFactory factory) : IClassFixture<SmsMcpFactory>
{
    private static readonly string FunctionsDirectory = Path.Combine(RepositoryPaths.Root, "src", "SmsMcp.Server", "functions");

    private static string[] Functions() =>
        Directory.GetDirectories(FunctionsDirectory).Select(d => Path.GetFileName(d)).Order(StringComparer.Ordinal).ToArray();

    public static IEnumerable<object[]> FunctionNames() => Functions().Select(f => new object[] { f });

    private static JsonNode Binding(string function, string direction) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(FunctionsDirectory, function, "function.json")))!["bindings"]!.AsArray()
            .Single(b => b!["direction"]!.GetValue<string>() == direction)!;

    [Fact]
    public void TheDeclaredFunctionsAreTheExpectedOnes()
    {
        Assert.Equal(["admin", "anomaly-scan", "mcp", "reconcile-status", "twilio-status"], Functions());
    }

    [Theory]
    [MemberData(nameof(FunctionNames))]
    public async Task EveryDeclaredFunction_IsServed(string function)
    {
        var trigger = Binding(function, "in");
        var client = factory.CreateClient();
        switch (trigger["type"]!.GetValue<string>())
        {
            case "httpTrigger":
                Assert.Equal("anonymous", trigger["authLevel"]!.GetValue<string>());
                var route = "/" + trigger["route"]!.GetValue<string>();
                var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
                    .Where(e => "/" + e.RoutePattern.RawText!.Trim('/') == route) // the SDK's MapMcp("/mcp") yields the pattern "/mcp/", which serves /mcp
                    .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
                    .ToHashSet(StringComparer.OrdinalIgnoreCase);
                foreach (var method in trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>()))
                {
                    Assert.Contains(method, endpoints);
                    using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), route);
                    using var response = await client.SendAsync(request);
                    // Both answer 404 until configured (Twilio's auth token, Admin:Keys); served all the same.
                    if (function is not ("twilio-status" or "admin"))
                    {
                        Assert.NotEqual(HttpStatusCode.NotFound, response.StatusCode);
                    }
                }

                break;

            case "timerTrigger":
                using (var response = await client.PostAsync("/" + function, TimerPayload(function)))
                {
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
                    var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
                    Assert.Equal(["Logs", "Outputs", "ReturnValue"], body.Select(p => p.Key).Order().ToArray());
                    Assert.Empty(body["Outputs"]!.AsObject());
                    Assert.All(body["Logs"]!.AsArray(), l => Assert.Equal(JsonValueKind.String, l!.GetValueKind()));
                    Assert.Null(body["ReturnValue"]);
                }

                break;

            default:
                Assert.Fail($"{function}: unexpected trigger type");
                break;
        }
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"Metadata\":{}}")]
    public async Task TimerWithoutInvocationPayload_Is400(string payload)
    {
        using var response = await factory.CreateClient().PostAsync("/anomaly-scan", new StringContent(payload, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task TimerWithAChunkedPayloadOverTheCap_Is400()
    {
        // A valid invocation payload padded past 64 KiB, sent without Content-Length.
        var payload = "{\"Data\":{\"pad\":\"" + new string('x', 70 * 1024) + "\"},\"Metadata\":{}}";
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(payload)));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/anomaly-scan") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await factory.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task TwilioStatus_WithoutTwilioConfigured_Answers404()
    {
        using var response = await factory.CreateClient().PostAsync("/twilio/status", new FormUrlEncodedContent([new("MessageSid", "SM1")]));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public void HostJson_ForwardsHttpUnchangedToOurExecutable()
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "host.json")))!;
        Assert.Equal("2.0", host["version"]!.GetValue<string>());
        Assert.True(host["customHandler"]!["enableForwardingHttpRequest"]!.GetValue<bool>());
        Assert.Equal("SmsMcp.Server", host["customHandler"]!["description"]!["defaultExecutablePath"]!.GetValue<string>());
        Assert.Equal("", host["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());
    }

    [Fact]
    public void BuildOutput_HasHostJsonAndEachFunctionJsonBesideTheExecutable()
    {
        Assert.True(File.Exists(Path.Combine(RepositoryPaths.ServerOutput, "host.json")), RepositoryPaths.ServerOutput);
        foreach (var function in Functions())
        {
            Assert.True(File.Exists(Path.Combine(RepositoryPaths.ServerOutput, function, "function.json")), function);
        }
    }

    /// <summary>The shape the Functions host sends for a timer trigger.</summary>
    private static StringContent TimerPayload(string function) => new(JsonSerializer.Serialize(new
    {
        Data = new
        {
            timer = new
            {
                Schedule = new { AdjustForDST = true },
                ScheduleStatus = new { Last = "2026-11-21T04:00:00Z", Next = "2026-11-21T04:05:00Z", LastUpdated = "2026-11-21T04:00:00Z" },
                IsPastDue = false,
            },
        },
        Metadata = new { sys = new { MethodName = function, UtcNow = "2026-11-21T04:05:00Z", RandGuid = Guid.NewGuid() } },
    }), Encoding.UTF8, "application/json");
}
