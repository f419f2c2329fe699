namespace SmsMcp.Core.Tests.Infrastructure;

/// <summary>What <see cref="LoopbackHttpServer"/> does with one request.</summary>
public sealed record LoopbackReply(LoopbackReplyKind Kind, int Status, string Body, IReadOnlyList<(string Name, string Value)> Headers)
{
    public static LoopbackReply Hang { get; } = new(LoopbackReplyKind.Hang, 0, "", []);

    public static LoopbackReply Reset { get; } = new(LoopbackReplyKind.Reset, 0, "", []);

    /// <summary>Read the request, then close the connection gracefully without a byte of response.</summary>
    public static LoopbackReply Close { get; } = new(LoopbackReplyKind.Close, 0, "", []);

    public static LoopbackReply Json(int status, string body, params (string Name, string Value)[] headers) => new(LoopbackReplyKind.Respond, status, body, headers);

    /// <summary>A created message, as Twilio answers a successful create.</summary>
    public static LoopbackReply Created(string sid = "SM0123456789abcdef0123456789abcdef") =>
        Json(201, $$"""{"sid":"{{sid}}","status":"queued","error_code":null}""");

    /// <summary>Twilio's error document.</summary>
    public static LoopbackReply Error(int status, int code) =>
        Json(status, $$"""{"code":{{code}},"message":"The 'To' number +12025550123 is not valid.","more_info":"https://www.twilio.com/docs/errors/{{code}}","status":{{status}}}""");
}
