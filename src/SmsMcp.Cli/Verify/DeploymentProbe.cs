using System.Net;
using System.Net.Http.Headers;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ModelContextProtocol.Client;
using SmsMcp.Cli.Output;

namespace SmsMcp.Cli.Verify;

/// <summary>
/// Probes a deployment from outside, as an attacker or a misrouted client would, and never sends an SMS: the only tool
/// it calls is <c>preview_sms</c>, to a premium-rate number no policy should allow. Every error answer it collects is
/// also searched for stack traces, server banners and version numbers.
/// </summary>
internal sealed partial class DeploymentProbe(Uri baseUrl, VerifyCredentials credentials, Func<HttpMessageHandler> handlerFactory)
{
    /// <summary>A host name that cannot exist (RFC 6761 <c>.invalid</c>): neither an allowed Host nor an allowed Origin.</summary>
    public const string ForeignHost = "smsmcp-verify.invalid";

    /// <summary>US premium rate (900): refused by number class under every profile that does not explicitly re-allow it.</summary>
    public const string DisallowedNumber = "+19005550123";

    private const string UnsupportedRevision = "1999-01-01";

    private static readonly string InitializeBody = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"smsmcp-verify","version":"1"}}}""";

    private static readonly string ToolsListBody = """{"jsonrpc":"2.0","id":2,"method":"tools/list","params":{}}""";

    /// <summary>The most of one answer the probe reads.</summary>
    internal const int MaxAnswerBytes = 1024 * 1024;

    private readonly List<(string Probe, HashSet<string> Headers, string Body)> _errorAnswers = [];

    private string? CallerAuthorization => credentials.Key ?? credentials.Token;

    public async Task<IReadOnlyList<VerifyLine>> RunAsync(CancellationToken cancellationToken)
    {
        // Every answer is buffered (the leak check reads error bodies after the probe that earned them): a bound keeps a
        // hostile or broken endpoint from filling the operator's memory.
        using var http = new HttpClient(handlerFactory(), disposeHandler: true)
        {
            Timeout = TimeSpan.FromSeconds(30),
            MaxResponseContentBufferSize = MaxAnswerBytes,
        };
        var lines = new List<VerifyLine> { await TransportAsync(http, cancellationToken) };
        var (unauthenticated, metadataPointer) = await UnauthenticatedAsync(http, cancellationToken);
        lines.Add(unauthenticated);
        lines.Add(await ResourceMetadataAsync(http, metadataPointer, cancellationToken));
        lines.Add(await ForeignOriginAsync(http, cancellationToken));
        lines.Add(await ForeignHostAsync(http, cancellationToken));
        lines.Add(await ProtocolVersionAsync(http, cancellationToken));
        lines.Add(await AdminAsync(http, cancellationToken));
        lines.Add(await WebhookAsync(http, signature: null, cancellationToken));
        lines.Add(await WebhookAsync(http, signature: Convert.ToBase64String(RandomBytes(20)), cancellationToken));
        lines.Add(await ErrorLeaksAsync(http, cancellationToken));
        lines.AddRange(await ToolSurfaceAsync(http, cancellationToken));
        return lines;
    }

    private Uri At(string path) => new(baseUrl, path);

    private async Task<VerifyLine> TransportAsync(HttpClient http, CancellationToken cancellationToken)
    {
        const string id = "transport";
        const string check = "HTTPS and certificate";
        if (baseUrl.Scheme == Uri.UriSchemeHttp)
        {
            await SendAsync(http, HttpMethod.Get, "/mcp", null, null, cancellationToken);
            return baseUrl.IsLoopback
                ? new(id, check, VerifyStatus.Pass, "plain HTTP on loopback (local only; outside loopback HTTPS is required)")
                : new(id, check, VerifyStatus.Fail, "plain HTTP outside loopback: keys and messages cross the network in clear");
        }

        try
        {
            await SendAsync(http, HttpMethod.Get, "/mcp", null, null, cancellationToken);
            return new(id, check, VerifyStatus.Pass, $"HTTPS; the certificate is valid for {baseUrl.Host}");
        }
        catch (CommandFailure failure) when (failure.InnerException is HttpRequestException { InnerException: AuthenticationException })
        {
            return new(id, check, VerifyStatus.Fail, "the TLS certificate was rejected (expired, self-signed, or not for this host)");
        }
    }

    private async Task<(VerifyLine Line, Uri? MetadataPointer)> UnauthenticatedAsync(HttpClient http, CancellationToken cancellationToken)
    {
        const string id = "mcp_unauthenticated";
        const string check = "/mcp refuses a request without credentials";
        using var response = await SendAsync(http, HttpMethod.Post, "/mcp", InitializeBody, null, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return (new(id, check, VerifyStatus.Fail, $"answered {(int)response.StatusCode} to an unauthenticated initialize (expected 401)"), null);
        }

        var challenge = string.Join(", ", response.Headers.WwwAuthenticate.Select(h => h.ToString()));
        if (!challenge.StartsWith("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return (new(id, check, VerifyStatus.Fail, "401 without a Bearer challenge (WWW-Authenticate)"), null);
        }

        var pointer = ResourceMetadataPattern().Match(challenge);
        if (!pointer.Success)
        {
            return (new(id, check, VerifyStatus.Pass, "401 with a Bearer challenge (API keys; no OAuth metadata pointer)"), null);
        }

        return Uri.TryCreate(pointer.Groups["url"].Value, UriKind.Absolute, out var url)
            ? (new(id, check, VerifyStatus.Pass, "401 with a Bearer challenge pointing at the protected resource metadata"), url)
            : (new(id, check, VerifyStatus.Fail, "401 whose resource_metadata is not an absolute URL"), null);
    }

    private async Task<VerifyLine> ResourceMetadataAsync(HttpClient http, Uri? pointer, CancellationToken cancellationToken)
    {
        const string id = "resource_metadata";
        const string check = "Protected resource metadata well formed";
        var candidates = pointer is not null
            ? [pointer]
            : new[] { At("/.well-known/oauth-protected-resource/mcp"), At("/.well-known/oauth-protected-resource") };
        foreach (var url in candidates)
        {
            if (!IsSameOrigin(url))
            {
                return new(id, check, VerifyStatus.Fail, "resource_metadata points at another origin");
            }

            using var response = await SendAsync(http, HttpMethod.Get, url.PathAndQuery, null, null, cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                if (pointer is not null)
                {
                    return new(id, check, VerifyStatus.Fail, $"the metadata the 401 points at answers {(int)response.StatusCode}");
                }

                continue;
            }

            if (WellFormedMetadata(await response.Content.ReadAsStringAsync(cancellationToken)) is { } problem)
            {
                return new(id, check, VerifyStatus.Fail, problem);
            }

            // Published but not announced: clients learn where to get a token only from the 401's pointer.
            return pointer is null
                ? new(id, check, VerifyStatus.Fail, "metadata is published but the 401 challenge has no resource_metadata pointer to it")
                : new(id, check, VerifyStatus.Pass, "resource matches this endpoint; authorization servers listed over HTTPS");
        }

        return new(id, check, VerifyStatus.Skip, "OAuth is off (no metadata pointer, none published)");
    }

    /// <summary>RFC 9728: <c>resource</c> names this endpoint; <c>authorization_servers</c> is a non-empty list of HTTPS issuers.</summary>
    private string? WellFormedMetadata(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("resource", out var resource) || resource.ValueKind != JsonValueKind.String
                || !Uri.TryCreate(resource.GetString(), UriKind.Absolute, out var resourceUrl))
            {
                return "metadata has no absolute \"resource\"";
            }

            if (!IsSameOrigin(resourceUrl))
            {
                return "metadata \"resource\" names another origin than this deployment";
            }

            if (!root.TryGetProperty("authorization_servers", out var servers) || servers.ValueKind != JsonValueKind.Array || servers.GetArrayLength() == 0)
            {
                return "metadata lists no \"authorization_servers\"";
            }

            foreach (var server in servers.EnumerateArray())
            {
                if (server.ValueKind != JsonValueKind.String || !Uri.TryCreate(server.GetString(), UriKind.Absolute, out var issuer)
                    || (issuer.Scheme != Uri.UriSchemeHttps && !issuer.IsLoopback))
                {
                    return "an authorization server is not an HTTPS URL";
                }
            }

            return null;
        }
        catch (JsonException)
        {
            return "metadata is not JSON";
        }
    }

    private async Task<VerifyLine> ForeignOriginAsync(HttpClient http, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(http, HttpMethod.Post, "/mcp", InitializeBody, CallerAuthorization, cancellationToken,
            request => request.Headers.Add("Origin", "https://" + ForeignHost));
        return Refused("foreign_origin", "/mcp refuses a foreign Origin", response, "Origin https://" + ForeignHost);
    }

    private async Task<VerifyLine> ForeignHostAsync(HttpClient http, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(http, HttpMethod.Post, "/mcp", InitializeBody, CallerAuthorization, cancellationToken,
            request => request.Headers.Host = ForeignHost);
        return Refused("foreign_host", "/mcp refuses a foreign Host (DNS rebinding)", response, "Host " + ForeignHost);
    }

    private static VerifyLine Refused(string id, string check, HttpResponseMessage response, string what) =>
        response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.BadRequest or HttpStatusCode.MisdirectedRequest
            ? new(id, check, VerifyStatus.Pass, $"{what}: {(int)response.StatusCode}")
            : new(id, check, VerifyStatus.Fail, $"{what}: answered {(int)response.StatusCode} (expected 403)");

    private async Task<VerifyLine> ProtocolVersionAsync(HttpClient http, CancellationToken cancellationToken)
    {
        const string id = "protocol_version";
        const string check = "/mcp refuses an unsupported protocol version";
        if (CallerAuthorization is null)
        {
            return new(id, check, VerifyStatus.Skip, "needs --key or --token (credentials are checked first)");
        }

        using var response = await SendAsync(http, HttpMethod.Post, "/mcp", ToolsListBody, CallerAuthorization, cancellationToken,
            request => request.Headers.Add("MCP-Protocol-Version", UnsupportedRevision));
        return response.StatusCode == HttpStatusCode.BadRequest
            ? new(id, check, VerifyStatus.Pass, $"MCP-Protocol-Version {UnsupportedRevision}: 400")
            : new(id, check, VerifyStatus.Fail, $"MCP-Protocol-Version {UnsupportedRevision}: answered {(int)response.StatusCode} (expected 400)");
    }

    private async Task<VerifyLine> AdminAsync(HttpClient http, CancellationToken cancellationToken)
    {
        const string id = "admin";
        const string check = "/admin absent or refusing callers";
        const string path = "/admin/kill-switch";
        using (var anonymous = await SendAsync(http, HttpMethod.Get, path, null, null, cancellationToken))
        {
            if (anonymous.IsSuccessStatusCode)
            {
                return new(id, check, VerifyStatus.Fail, $"answered {(int)anonymous.StatusCode} without any key");
            }
        }

        if (CallerAuthorization is { } callerKey)
        {
            using var caller = await SendAsync(http, HttpMethod.Get, path, null, callerKey, cancellationToken);
            if (caller.IsSuccessStatusCode)
            {
                return new(id, check, VerifyStatus.Fail, "accepts the caller's credential: an agent could flip the kill switch or approve its own sends");
            }
        }

        if (credentials.AdminKey is { } adminKey)
        {
            using var admin = await SendAsync(http, HttpMethod.Get, path, null, adminKey, cancellationToken);
            return admin.StatusCode == HttpStatusCode.OK
                ? new(id, check, VerifyStatus.Pass, CallerAuthorization is null ? "refuses no key; the operator key is accepted" : "refuses no key and the caller's key; the operator key is accepted")
                : new(id, check, VerifyStatus.Fail, $"the operator key was refused ({(int)admin.StatusCode})");
        }

        return new(id, check, VerifyStatus.Pass, CallerAuthorization is null ? "refuses a request without a key" : "refuses no key and the caller's key");
    }

    private async Task<VerifyLine> WebhookAsync(HttpClient http, string? signature, CancellationToken cancellationToken)
    {
        var id = signature is null ? "webhook_unsigned" : "webhook_missigned";
        var check = signature is null ? "/twilio/status refuses an unsigned callback" : "/twilio/status refuses a mis-signed callback";

        // A callback for a message that cannot exist: even if it were accepted, it could change nothing.
        using var response = await SendAsync(http, HttpMethod.Post, "/twilio/status?mid=verify-probe",
            "MessageSid=SM00000000000000000000000000000000&MessageStatus=delivered&AccountSid=AC00000000000000000000000000000000",
            null, cancellationToken, request =>
            {
                request.Content!.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
                if (signature is not null)
                {
                    request.Headers.Add("X-Twilio-Signature", signature);
                }
            });
        return response.StatusCode switch
        {
            HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized => new(id, check, VerifyStatus.Pass, $"{(int)response.StatusCode}: the signature is checked before anything is read"),
            HttpStatusCode.NotFound => new(id, check, VerifyStatus.Pass, "404: no status webhook here (no Twilio auth token configured)"),
            _ => new(id, check, VerifyStatus.Fail, $"answered {(int)response.StatusCode} (expected 403)"),
        };
    }

    private async Task<VerifyLine> ErrorLeaksAsync(HttpClient http, CancellationToken cancellationToken)
    {
        const string id = "error_leaks";
        const string check = "Error answers leak no stack trace, banner or version";

        // Two more ways to earn an error: a body that is not JSON-RPC, and a route that does not exist.
        (await SendAsync(http, HttpMethod.Post, "/mcp", "{\"jsonrpc\":", CallerAuthorization, cancellationToken)).Dispose();
        (await SendAsync(http, HttpMethod.Get, "/smsmcp-verify-no-such-route", null, null, cancellationToken)).Dispose();
        var findings = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (probe, headers, body) in _errorAnswers)
        {
            foreach (var header in new[] { "Server", "X-Powered-By", "X-AspNet-Version", "X-AspNetMvc-Version", "X-SourceFiles" })
            {
                if (headers.Contains(header))
                {
                    findings.Add($"{header} header");
                }
            }

            if (StackTracePattern().IsMatch(body))
            {
                findings.Add($"stack trace ({probe})");
            }

            if (VersionPattern().IsMatch(body))
            {
                findings.Add($"framework or version named ({probe})");
            }
        }

        return findings.Count == 0
            ? new(id, check, VerifyStatus.Pass, $"{_errorAnswers.Count} error answers checked: no banner, stack trace or version")
            : new(id, check, VerifyStatus.Fail, string.Join("; ", findings));
    }

    private async Task<IReadOnlyList<VerifyLine>> ToolSurfaceAsync(HttpClient http, CancellationToken cancellationToken)
    {
        const string toolsId = "tools";
        const string toolsCheck = "Tools are exactly the expected set, with their hints";
        const string previewId = "preview_refused";
        const string previewCheck = "preview_sms to a premium-rate number is refused";
        if (CallerAuthorization is not { } authorization)
        {
            return
            [
                new(toolsId, toolsCheck, VerifyStatus.Skip, "needs --key or --token"),
                new(previewId, previewCheck, VerifyStatus.Skip, "needs --key or --token"),
            ];
        }

        var options = new HttpClientTransportOptions
        {
            Endpoint = At("/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            Name = "smsmcp-verify",
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + authorization },
        };
        try
        {
            await using var client = await McpClient.CreateAsync(new HttpClientTransport(options, http, ownsHttpClient: false), cancellationToken: cancellationToken);
            var tools = await client.ListToolsAsync(cancellationToken: cancellationToken);
            var differences = ExpectedTools.Differences(tools.Select(t => t.ProtocolTool));
            var toolsLine = differences.Count == 0
                ? new VerifyLine(toolsId, toolsCheck, VerifyStatus.Pass, $"{tools.Count} tools, hints as expected ({string.Join(", ", ExpectedTools.All.Keys)})")
                : new VerifyLine(toolsId, toolsCheck, VerifyStatus.Fail, string.Join("; ", differences));

            var preview = await client.CallToolAsync("preview_sms",
                new Dictionary<string, object?> { ["to"] = DisallowedNumber, ["body"] = "smsmcp verify probe" }, cancellationToken: cancellationToken);
            var previewLine = preview.StructuredContent is { ValueKind: JsonValueKind.Object } result
                && result.TryGetProperty("allowed", out var allowed) && allowed.ValueKind == JsonValueKind.False
                ? new VerifyLine(previewId, previewCheck, VerifyStatus.Pass,
                    $"refused: {(result.TryGetProperty("reason_code", out var code) && code.ValueKind == JsonValueKind.String ? code.GetString() : "no reason code")} (nothing sent: preview only)")
                : new VerifyLine(previewId, previewCheck, VerifyStatus.Fail, preview.IsError == true
                    ? "preview_sms answered an error instead of a decision"
                    : $"preview_sms says a send to {DisallowedNumber} (US premium rate) would be allowed");
            return [toolsLine, previewLine];
        }
        catch (Exception e) when (e is HttpRequestException or ModelContextProtocol.McpException or JsonException)
        {
            var reason = $"the MCP client could not connect with the caller credential ({e.GetType().Name})";
            return [new(toolsId, toolsCheck, VerifyStatus.Fail, reason), new(previewId, previewCheck, VerifyStatus.Fail, reason)];
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string pathAndQuery, string? body, string? bearer,
        CancellationToken cancellationToken, Action<HttpRequestMessage>? adjust = null)
    {
        using var request = new HttpRequestMessage(method, At(pathAndQuery));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            request.Headers.Accept.ParseAdd("application/json");
            request.Headers.Accept.ParseAdd("text/event-stream");
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        adjust?.Invoke(request);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConfigurationLimitExceeded)
        {
            throw new CommandFailure(ExitCodes.Failed, "answer_too_large",
                $"{baseUrl.GetLeftPart(UriPartial.Authority)} answered {method} {pathAndQuery.Split('?')[0]} with more than {MaxAnswerBytes / 1024} KiB; an MCP server's answers to these probes are small.", e);
        }
        catch (HttpRequestException e)
        {
            throw new CommandFailure(ExitCodes.Unavailable, "unreachable", $"{baseUrl.GetLeftPart(UriPartial.Authority)} could not be reached ({e.HttpRequestError}).", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CommandFailure(ExitCodes.Unavailable, "unreachable", $"{baseUrl.GetLeftPart(UriPartial.Authority)} did not answer in time.", e);
        }

        if ((int)response.StatusCode >= 400)
        {
            // Buffered so the leak check can read it after the probe that earned it has looked at the status.
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            _errorAnswers.Add(($"{method} {pathAndQuery.Split('?')[0]}",
                response.Headers.Select(h => h.Key).ToHashSet(StringComparer.OrdinalIgnoreCase),
                await response.Content.ReadAsStringAsync(cancellationToken)));
        }

        return response;
    }

    private bool IsSameOrigin(Uri url) =>
        string.Equals(url.GetLeftPart(UriPartial.Authority), baseUrl.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);

    private static byte[] RandomBytes(int count) => System.Security.Cryptography.RandomNumberGenerator.GetBytes(count);

    [GeneratedRegex("resource_metadata=\"(?<url>[^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex ResourceMetadataPattern();

    [GeneratedRegex(@"(?m)^\s+at [\w.`<>\[\]]+\(|\.cs:line \d+|\b[\w.]+Exception\b:|StackTrace|Developer Exception Page", RegexOptions.None)]
    private static partial Regex StackTracePattern();

    [GeneratedRegex(@"Kestrel|Microsoft-IIS|ASP\.NET|\.NET \d|Microsoft\.AspNetCore|X-Powered-By|(?<![\w.#/-]|section-)v?\d+\.\d+\.\d+(?![\d.])", RegexOptions.IgnoreCase)]
    private static partial Regex VersionPattern();
}
