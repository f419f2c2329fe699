using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.DependencyInjection;
using SmsMcp.Functions.Functions;
using SmsMcp.Functions.Tests.Infrastructure;
using SmsMcp.Http.Hosting;
using SmsMcp.Http.Jobs;
using SmsMcp.Server.Tests.Infrastructure;

namespace SmsMcp.Functions.Tests;

/// <summary>
/// The functions.metadata the Worker SDK writes into the build output — what the Functions host will route and schedule
/// — against what the standalone server serves: every standalone route and method reaches a function, every function
/// route and method reaches a standalone endpoint, and the timers are the standalone server's jobs on the same schedules.
/// A route added to one host and not the other fails here.
/// </summary>
public sealed class FunctionsMetadataTests(StandaloneServer standalone) : IClassFixture<StandaloneServer>
{
    private static readonly string Output = Path.Combine(RepositoryPaths.Root, "src", "SmsMcp.Functions", "bin", RepositoryPaths.Configuration, "net10.0");

    private static JsonArray Metadata() => JsonNode.Parse(File.ReadAllText(Path.Combine(Output, "functions.metadata")))!.AsArray();

    private static JsonObject Trigger(JsonNode function) =>
        function["bindings"]!.AsArray().Single(b => b!["direction"]!.GetValue<string>().Equals("In", StringComparison.OrdinalIgnoreCase))!.AsObject();

    private static IEnumerable<(string Name, string Route, string[] Methods)> HttpTriggers() =>
        Metadata().Where(f => Trigger(f!)["type"]!.GetValue<string>() == "httpTrigger").Select(f =>
            (f!["name"]!.GetValue<string>(), "/" + Trigger(f)["route"]!.GetValue<string>(),
             Trigger(f)["methods"]!.AsArray().Select(m => m!.GetValue<string>().ToUpperInvariant()).ToArray()));

    private IEnumerable<(string Pattern, string Method)> StandaloneRoutes() =>
        standalone.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => ("/" + e.RoutePattern.RawText!.TrimStart('/'), m)));

    [Fact]
    public void FunctionNames_AreTheOnesDeclaredInOnePlace()
    {
        var declared = typeof(FunctionNames).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!).Order(StringComparer.Ordinal);
        Assert.Equal(declared, Metadata().Select(f => f!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal(["admin", "anomaly-scan", "approval-expiry", "audit-heads", "confirmation-sweep", "mcp", "oauth-protected-resource", "reconcile-status", "twilio-status"], declared);
    }

    [Fact]
    public void HttpTriggers_AreAnonymous_TheEndpointsAuthenticate()
    {
        Assert.All(Metadata().Where(f => Trigger(f!)["type"]!.GetValue<string>() == "httpTrigger"),
            f => Assert.Equal("anonymous", Trigger(f!)["authLevel"]!.GetValue<string>(), ignoreCase: true));
    }

    [Fact]
    public void EveryStandaloneRouteAndMethod_ReachesAFunction()
    {
        var triggers = HttpTriggers().ToList();
        foreach (var (pattern, method) in StandaloneRoutes())
        {
            var path = SamplePath(pattern);
            Assert.True(triggers.Any(t => t.Methods.Contains(method) && Matches(t.Route, path)), $"{method} {pattern} is served standalone but by no function");
        }
    }

    [Fact]
    public void EveryFunctionRouteAndMethod_ReachesAStandaloneEndpoint()
    {
        var routes = StandaloneRoutes().ToList();
        foreach (var (name, route, methods) in HttpTriggers())
        {
            var path = SamplePath(route);
            foreach (var method in methods)
            {
                Assert.True(routes.Any(r => r.Method == method && Matches(r.Pattern, path)), $"function {name} accepts {method} {route}, which the standalone server does not serve");
            }
        }
    }

    [Fact]
    public async Task DispatcherRouteTable_IsTheStandaloneServersRouteTable()
    {
        await using var worker = await Worker.StartAsync();
        var dispatcher = worker.Services.GetRequiredService<SmsMcpHttpDispatcher>();
        var dispatched = dispatcher.Endpoints
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} /{e.RoutePattern.RawText!.TrimStart('/')}"))
            .Order(StringComparer.Ordinal);

        Assert.Equal(StandaloneRoutes().Select(r => $"{r.Method} {r.Pattern}").Order(StringComparer.Ordinal), dispatched);
    }

    [Fact]
    public async Task McpMapping_StillProducesThePostGetAndDeleteEndpointsTheMcpFunctionDispatchesTo()
    {
        await using var worker = await Worker.StartAsync();
        var mcp = worker.Services.GetRequiredService<SmsMcpHttpDispatcher>().Endpoints
            .Where(e => "/" + e.RoutePattern.RawText!.Trim('/') == "/mcp")
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
            .ToHashSet(StringComparer.Ordinal);

        Assert.Superset(new HashSet<string>(["POST", "GET", "DELETE"]), mcp);
        Assert.Equal(HttpTriggers().Single(t => t.Name == FunctionNames.Mcp).Methods.Order(), mcp.Order());
    }

    [Fact]
    public void TimerTriggers_AreTheStandaloneServersJobsOnTheSameSchedules()
    {
        var timers = Metadata().Where(f => Trigger(f!)["type"]!.GetValue<string>() == "timerTrigger")
            .Select(f => $"{f!["name"]!.GetValue<string>()} {Trigger(f)["schedule"]!.GetValue<string>()}").Order(StringComparer.Ordinal);
        var inProcess = standalone.Services.GetServices<ScheduledJob>().Select(j => $"{j.Name} {j.Schedule}").Order(StringComparer.Ordinal);

        Assert.Equal(inProcess, timers);
        Assert.Equal(["anomaly-scan 0 */5 * * * *", "approval-expiry 0 */10 * * * *", "audit-heads 0 */5 * * * *", "confirmation-sweep 0 */30 * * * *", "reconcile-status 0 */10 * * * *"], timers);
    }

    [Fact]
    public void HostJson_AtTheRoot_IsTheWorkersWithAnEmptyRoutePrefixAndNoCustomHandler()
    {
        var root = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "host.json"));
        Assert.Equal(root, File.ReadAllText(Path.Combine(Output, "host.json")));
        var host = JsonNode.Parse(root)!;
        Assert.Equal("2.0", host["version"]!.GetValue<string>());
        Assert.Equal("", host["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());
        Assert.Null(host["customHandler"]);
        Assert.True(File.Exists(Path.Combine(Output, "worker.config.json")));
    }

    /// <summary>A concrete path the pattern matches: each parameter (catch-all too) filled with one segment.</summary>
    private static string SamplePath(string pattern) =>
        "/" + string.Join("/", RoutePatternFactory.Parse(pattern).PathSegments.Select(s =>
            string.Concat(s.Parts.Select(p => p is RoutePatternLiteralPart literal ? literal.Content : "sample1"))));

    private static bool Matches(string pattern, string path) =>
        new TemplateMatcher(TemplateParser.Parse(pattern.TrimStart('/')), []).TryMatch(path, []);
}
