using SmsMcp.Http.Jobs;

namespace SmsMcp.Functions.Functions;

/// <summary>Every function's name, in one place (the names the Functions host lists, logs and monitors).</summary>
public static class FunctionNames
{
    public const string Mcp = "mcp";
    public const string Admin = "admin";
    public const string TwilioStatus = "twilio-status";
    public const string ProtectedResourceMetadata = "oauth-protected-resource";
    public const string AnomalyScan = ScheduledJobs.AnomalyScan;
    public const string ReconcileStatus = ScheduledJobs.ReconcileStatus;
    public const string AuditHeads = ScheduledJobs.AuditHeads;
    public const string ApprovalExpiry = ScheduledJobs.ApprovalExpiry;
    public const string ConfirmationSweep = ScheduledJobs.ConfirmationSweep;
}
