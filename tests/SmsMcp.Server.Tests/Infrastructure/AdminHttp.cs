using System.Net.Http.Headers;
using System.Text;

namespace SmsMcp.Server.Tests.Infrastructure;

/// <summary>Requests to the operator endpoint.</summary>
public static class AdminHttp
{
    public static HttpRequestMessage Request(HttpMethod method, string path, string? key = AdminFactory.AdminKey, string? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return request;
    }

    public static HttpRequestMessage Engage(string path, bool engaged, string? key = AdminFactory.AdminKey) =>
        Request(HttpMethod.Put, path, key, engaged ? "{\"engaged\":true}" : "{\"engaged\":false}");
}
