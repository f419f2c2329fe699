using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SmsMcp.Cli.Output;

namespace SmsMcp.Cli.Admin;

/// <summary>
/// The <c>/admin</c> API with an operator key (<c>Authorization: Bearer</c>). Statuses become exit codes: 401/403 →
/// <see cref="ExitCodes.Refused"/>, 5xx and no answer → <see cref="ExitCodes.Unavailable"/>. The key is never printed.
/// </summary>
internal sealed class AdminClient(Uri baseUrl, string adminKey, Func<HttpMessageHandler> handlerFactory) : IDisposable
{
    /// <summary>Read when <c>--admin-key</c> is absent, so the key need not sit in shell history.</summary>
    public const string KeyVariable = "SMSMCP_ADMIN_KEY";

    private static readonly JsonSerializerOptions Wire = new(JsonSerializerDefaults.Web);

    private readonly HttpClient _http = new(handlerFactory(), disposeHandler: true) { Timeout = TimeSpan.FromSeconds(30) };

    public async Task<(HttpStatusCode Status, T? Body)> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken,
        params HttpStatusCode[] alsoAccepted)
    {
        using var request = new HttpRequestMessage(method, new Uri(baseUrl, "admin/" + path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Wire);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new CommandFailure(ExitCodes.Unavailable, "unreachable", $"{baseUrl.GetLeftPart(UriPartial.Authority)} could not be reached ({e.HttpRequestError}).", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CommandFailure(ExitCodes.Unavailable, "unreachable", $"{baseUrl.GetLeftPart(UriPartial.Authority)} did not answer in time.", e);
        }

        using (response)
        {
            var status = response.StatusCode;
            if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new CommandFailure(ExitCodes.Refused, "refused", $"/admin refused the operator key ({(int)status}).");
            }

            if ((int)status >= 500)
            {
                throw new CommandFailure(ExitCodes.Unavailable, "server_unavailable", $"/admin/{path} answered {(int)status}; nothing was changed or it could not be read.");
            }

            if (!response.IsSuccessStatusCode && !alsoAccepted.Contains(status))
            {
                throw new CommandFailure(ExitCodes.Refused, status == HttpStatusCode.NotFound ? "not_found" : "rejected", $"/admin/{path} answered {(int)status}.");
            }

            try
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                return (status, string.IsNullOrWhiteSpace(text) ? default : JsonSerializer.Deserialize<T>(text, Wire));
            }
            catch (JsonException)
            {
                throw new CommandFailure(ExitCodes.Unavailable, "bad_answer", $"/admin/{path} did not answer JSON this tool understands.");
            }
        }
    }

    public void Dispose() => _http.Dispose();
}
