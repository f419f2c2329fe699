namespace SmsMcp.Http.Auth;

/// <summary>
/// Which tools a caller may see and call, as ordered levels: <see cref="Send"/> includes every <see cref="Read"/> tool
/// (a sender needs <c>list_recipients</c> and <c>preview_sms</c>). <see cref="None"/> is what an unknown grant means.
/// </summary>
public enum ToolAccess
{
    /// <summary>No tools: <c>tools/list</c> is empty and every call is refused.</summary>
    None = 0,

    /// <summary>The read-only tools (annotated <c>readOnlyHint: true</c>): they send nothing.</summary>
    Read = 1,

    /// <summary>Every tool, <c>send_sms</c> included.</summary>
    Send = 2,
}
