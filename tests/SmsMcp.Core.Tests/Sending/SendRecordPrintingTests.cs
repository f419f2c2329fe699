using SmsMcp.Core.Approvals;
using SmsMcp.Core.Callers;
using SmsMcp.Core.Sending;

namespace SmsMcp.Core.Tests.Sending;

/// <summary>The send request and a pending approval carry the raw number and the body, and print neither.</summary>
public sealed class SendRecordPrintingTests
{
    private const string Number = "+12025550123";
    private const string Body = "the secret body text";

    [Fact]
    public void SendRequest_PrintsNeitherTheNumberNorTheBody()
    {
        var printed = new SendRequest(new CallerIdentity("dev"), Number, Body, "key-1", "msg_x").ToString();

        Assert.Contains("key-1", printed, StringComparison.Ordinal);
        Assert.Contains("msg_x", printed, StringComparison.Ordinal);
        AssertClean(printed);
    }

    [Fact]
    public void PendingApproval_PrintsNeitherTheNumberNorTheBody()
    {
        var now = DateTimeOffset.UnixEpoch;
        var printed = new PendingApproval("msg_x", "dev", Number, Body, now, now.AddDays(1), ApprovalState.Pending).ToString();

        Assert.Contains("msg_x", printed, StringComparison.Ordinal);
        Assert.Contains("Pending", printed, StringComparison.Ordinal);
        AssertClean(printed);
    }

    private static void AssertClean(string printed)
    {
        Assert.DoesNotContain("2025550123", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", printed, StringComparison.Ordinal);
    }
}
