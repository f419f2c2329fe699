using System.Diagnostics;
using FsCheck;
using FsCheck.Fluent;
using SmsMcp.Infrastructure.Telemetry;

namespace SmsMcp.Core.Tests.Telemetry;

/// <summary>
/// The span rewriting over generated input: any text a caller could have put into an outgoing URL's path or query, or
/// into a request's path, query or Host, never survives unless it is a plain word (outgoing paths) or a served path /
/// loopback host; and what is kept is kept exactly.
/// </summary>
public sealed class TelemetryRedactionPropertyTests
{
    private static readonly Func<string, bool> Served = path => path == "/mcp";

    // A server span as ASP.NET Core's instrumentation starts one: from a source somebody listens to.
    private static readonly ActivitySource Source = new(typeof(TelemetryRedactionPropertyTests).FullName!);
    private static readonly ActivityListener Listener = Listen();

    // Text from every Unicode plane and class, phone numbers and URL punctuation among them.
    private static readonly Gen<string> CallerText = Gen.OneOf(
        Gen.Elements("+447700900123", "%2B15551234567", "AC0123456789abcdef", "Contacts(PartitionKey='dev',RowKey='r1')", "a b", "ü", "x'y"),
        ArbMap.Default.GeneratorFor<NonEmptyString>().Select(s => s.Get),
        Gen.Choose(0x20, 0x10FFFF).Where(cp => cp is < 0xD800 or > 0xDFFF).ArrayOf().Where(a => a.Length > 0)
            .Select(cps => string.Concat(cps.Select(char.ConvertFromUtf32))));

    [Fact]
    public void OutgoingUrl_KeepsSchemeAuthorityAndWords_RedactsEveryOtherSegmentAndTheQuery()
    {
        Prop.ForAll(CallerText.ToArbitrary(), CallerText.ToArbitrary(), (segment, query) =>
        {
            var url = $"https://api.example.test:8443/v2/PhoneNumbers/{Uri.EscapeDataString(segment)}?q={Uri.EscapeDataString(query)}";
            var redacted = OutgoingUrl.Redact(url);
            var escaped = Uri.EscapeDataString(segment);
            var isWord = escaped.Length is > 0 and <= 64 && escaped.All(c => char.IsAsciiLetter(c) || c is '.' or '-' or '_');
            var expected = "https://api.example.test:8443/[redacted]/PhoneNumbers/" + (isWord ? escaped : "[redacted]") + "?[redacted]";
            return redacted == expected;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void ServerSpan_PathQueryHostAndUserAgent_OnlyServedPathAndLoopbackHostSurvive()
    {
        Prop.ForAll(CallerText.ToArbitrary(), text =>
        {
            using var activity = Source.StartActivity("request", ActivityKind.Server)!;
            activity.SetTag("url.path", "/" + text);
            activity.SetTag("url.query", "?to=" + text);
            activity.SetTag("server.address", text);
            activity.SetTag("user_agent.original", text);
            activity.SetTag("http.request.method_original", text);
            activity.SetTag("http.route", "/admin/callers/{callerId}/kill-switch");
            new TelemetryRedaction(Served).OnEnd(activity);

            var tags = activity.TagObjects.ToDictionary(t => t.Key, t => t.Value as string);
            return tags["url.path"] == ("/" + text == "/mcp" ? "/mcp" : "/[redacted]")
                && tags["url.query"] == "?[redacted]"
                && tags["server.address"] == (LoopbackHost.IsLoopback(text) ? text : "[redacted]")
                && !tags.ContainsKey("user_agent.original")
                && !tags.ContainsKey("http.request.method_original")
                && tags["http.route"] == "/admin/callers/{callerId}/kill-switch";
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData("localhost", true)]
    [InlineData("127.0.0.1:5000", true)]
    [InlineData("[::1]:65535", true)]
    [InlineData("localhost:", false)]
    [InlineData("localhost:5000x", false)]
    [InlineData("localhost.example", false)]
    [InlineData("127.0.0.1.example:80", false)]
    [InlineData("[::1]x", false)]
    public void LoopbackHost_OnlyThisMachinesNamesWithADecimalPort(string host, bool loopback) =>
        Assert.Equal(loopback, LoopbackHost.IsLoopback(host));

    private static ActivityListener Listen()
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == typeof(TelemetryRedactionPropertyTests).FullName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
