using SmsMcp.Core.Content;
using SmsMcp.Core.Messages;
using SmsMcp.Core.Quotas;

namespace SmsMcp.Http.Mcp.Tools;

/// <summary>How domain enums are spelled on the wire: lower snake case, stable.</summary>
public static class WireFormat
{
    public static string Of(MessageStatus status) => status == MessageStatus.PendingApproval ? "pending_approval" : status.ToString().ToLowerInvariant();

    public static string Of(SmsEncoding encoding) => encoding.ToString().ToLowerInvariant();

    public static string Of(QuotaWindow window) => window.ToString().ToLowerInvariant();

    public static string Of(QuotaMetric metric) => metric.ToString().ToLowerInvariant();
}
