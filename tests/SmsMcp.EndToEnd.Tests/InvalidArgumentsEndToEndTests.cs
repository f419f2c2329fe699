using System.Text;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using SmsMcp.Core.Audit;
using SmsMcp.EndToEnd.Tests.Infrastructure;

namespace SmsMcp.EndToEnd.Tests;

/// <summary>
/// Issue 11 item 3 end to end: every <c>send_sms</c> call refused for its arguments, sent by the official C# SDK client
/// to the real server in local mode, is answered <c>invalid_arguments</c>, sends nothing (sandbox outbox), and leaves
/// exactly one audit record (reason invalid_arguments) — with none of the planted number or body text anywhere in the
/// server's database files, nor in the answer.
/// </summary>
public sealed class InvalidArgumentsEndToEndTests(AuditedServerFixture fixture) : IClassFixture<AuditedServerFixture>
{
    private const string Digits = "2025550147";
    private const string Number = "+1" + Digits;
    private const string Body = "planted body 5c1e9";

    /// <summary>Wrong argument objects by name: what an agent probing for a sender, a media URL or a bulk send would try.</summary>
    private static readonly Dictionary<string, string> Cases = new()
    {
        ["extra from"] = $"{{\"to\":\"{Number}\",\"body\":\"{Body}\",\"from\":\"{Number}\"}}",
        ["extra media_url"] = $"{{\"to\":\"{Number}\",\"body\":\"{Body}\",\"media_url\":\"https://evil.example/{Digits}.jpg\"}}",
        ["to as an array"] = $"{{\"to\":[\"{Number}\",\"{Number}\"],\"body\":\"{Body}\"}}",
        ["to missing"] = $"{{\"body\":\"{Body}\"}}",
        ["body missing"] = $"{{\"to\":\"{Number}\"}}",
        ["to as a number"] = $"{{\"to\":{Digits},\"body\":\"{Body}\"}}",
        ["to as an object"] = $"{{\"to\":{{\"number\":\"{Number}\"}},\"body\":\"{Body}\"}}",
        ["body as an object"] = $"{{\"to\":\"{Number}\",\"body\":{{\"text\":\"{Body}\"}}}}",
        ["body as an array"] = $"{{\"to\":\"{Number}\",\"body\":[\"{Body}\"]}}",
        ["body as a number"] = $"{{\"to\":\"{Number}\",\"body\":{Digits}}}",
        ["body null"] = $"{{\"to\":\"{Number}\",\"body\":null}}",
        ["idempotency_key as an array"] = $"{{\"to\":\"{Number}\",\"body\":\"{Body}\",\"idempotency_key\":[\"{Body}\"]}}",
        ["no arguments"] = "{}",
    };

    public static TheoryData<string> CaseNames() => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task SendSmsWithWrongArguments_InvalidArguments_NothingSent_OneAuditRecord_NoRawValueStored(string name)
    {
        await using var client = await OperatorClient.ConnectAgentAsync(fixture.Server, "e2e-invalid-arguments", CancellationToken.None);
        var outbox = fixture.Server.OutboxLines().Count;
        var audit = (await fixture.AuditAsync()).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);

        var result = await client.CallToolAsync("send_sms", JsonSerializer.Deserialize<Dictionary<string, object?>>(Cases[name])!);

        Assert.True(result.IsError);
        var text = result.Content.OfType<TextContentBlock>().Single().Text;
        Assert.StartsWith("invalid_arguments: ", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Digits, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Body, text, StringComparison.Ordinal);
        Assert.Equal(outbox, fixture.Server.OutboxLines().Count);
        var added = Assert.Single(await fixture.AuditAsync(), r => !audit.Contains(r.Id));
        Assert.Equal(("send_sms", AuditDecision.Denied, "invalid_arguments"), (added.Tool, added.Decision, added.ReasonCode));
        Assert.Null(added.RecipientRef);
        Assert.Equal(0, added.BodyLength);
        AssertNotStored(Digits);
        AssertNotStored(Body);
    }

    /// <summary>Neither in any row nor anywhere else in the bytes of the database and its journals (UTF-8 or UTF-16).</summary>
    private void AssertNotStored(string planted)
    {
        var files = fixture.DatabaseFiles.ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            byte[] bytes;
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            using (var copy = new MemoryStream())
            {
                stream.CopyTo(copy);
                bytes = copy.ToArray();
            }

            Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(planted)) < 0, $"{Path.GetFileName(file)} holds \"{planted}\" (UTF-8).");
            Assert.True(bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(planted)) < 0, $"{Path.GetFileName(file)} holds \"{planted}\" (UTF-16).");
        }
    }
}
