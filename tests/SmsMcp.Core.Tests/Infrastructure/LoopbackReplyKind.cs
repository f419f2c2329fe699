namespace SmsMcp.Core.Tests.Infrastructure;

public enum LoopbackReplyKind
{
    Respond,
    Hang,
    Reset,
    Close,
}
