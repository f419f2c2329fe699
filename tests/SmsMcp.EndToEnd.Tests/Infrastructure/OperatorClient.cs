using System.Net.Http.Headers;
using System.Text;
using ModelContextProtocol.Client;

namespace SmsMcp.EndToEnd.Tests.Infrastructure;

/// <summary>The two sides of the admin tests against a real server: an agent's C# SDK client and an operator's HTTP calls.</summary>
public static class OperatorClient
{
    /// <summary>The official C# SDK client, authenticated as the dev caller.</summary>
    public static Task<McpClient> ConnectAgentAsync(ServerProcess server, string name, CancellationToken cancellationToken) =>
        McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = server.McpUrl,
            TransportMode = HttpTransportMode.StreamableHttp,
            Name = name,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + ServerProcess.ApiKey },
        }), cancellationToken: cancellationToken);

    /// <summary>An admin request (<paramref name="path"/> relative to <c>/admin/</c>) with <paramref name="key"/> as bearer.</summary>
    public static HttpRequestMessage Request(ServerProcess server, HttpMethod method, string path, string? json = null, string key = ServerProcess.AdminKey)
    {
        var request = new HttpRequestMessage(method, new Uri(server.AdminUrl, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return request;
    }
}
