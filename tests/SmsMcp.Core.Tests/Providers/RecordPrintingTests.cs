using SmsMcp.Core.Content;
using SmsMcp.Core.Delivery;
using SmsMcp.Core.Messages;
using SmsMcp.Core.Phone;
using SmsMcp.Core.Providers;
using SmsMcp.Infrastructure.Twilio;

namespace SmsMcp.Core.Tests.Providers;

/// <summary>Records that carry a raw number or a body print neither: a record that slips into a log line stays clean.</summary>
public sealed class RecordPrintingTests
{
    private const string Number = "+12025550123";
    private const string Body = "the secret body text";

    [Fact]
    public void ProviderMessage_PrintsNeitherTheNumberNorTheBody()
    {
        Assert.True(PhoneNumberParser.TryParse(Number, out var to, out _));
        var printed = new ProviderMessage("msg_x", to, Body, SmsSegmenter.Analyze(Body)).ToString();

        Assert.Contains("msg_x", printed, StringComparison.Ordinal);
        AssertClean(printed);
    }

    [Fact]
    public void TwilioMessage_DoesNotPrintTheNumber()
    {
        var printed = new TwilioMessage("SM1", "queued", null, Number).ToString();

        Assert.Contains("SM1", printed, StringComparison.Ordinal);
        AssertClean(printed);
    }

    [Fact]
    public void DeliveryReport_DoesNotPrintTheNumber()
    {
        var printed = new DeliveryReport("msg_x", "SM1", MessageStatus.Failed, 21610, null, true, Number).ToString();

        Assert.Contains("21610", printed, StringComparison.Ordinal);
        AssertClean(printed);
    }

    private static void AssertClean(string printed)
    {
        Assert.DoesNotContain("2025550123", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", printed, StringComparison.Ordinal);
    }
}
