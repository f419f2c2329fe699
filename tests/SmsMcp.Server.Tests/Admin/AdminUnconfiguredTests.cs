using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SmsMcp.Core.Controls;
using SmsMcp.Server.Tests.Infrastructure;

namespace SmsMcp.Server.Tests.Admin;

/// <summary>Without <c>Admin:Keys</c> the operator surface does not exist: 404 for every route, with any key.</summary>
public sealed class AdminUnconfiguredTests(SmsMcpFactory factory) : IClassFixture<SmsMcpFactory>
{
    [Theory]
    [InlineData("GET", "/admin/kill-switch", null)]
    [InlineData("PUT", "/admin/kill-switch", SmsMcpFactory.ApiKey)]
    [InlineData("PUT", "/admin/callers/dev/kill-switch", AdminFactory.AdminKey)]
    [InlineData("POST", "/admin/anything", null)]
    public async Task EveryRoute_Is404_AndNothingChanges(string method, string path, string? key)
    {
        using var response = await factory.CreateClient().SendAsync(AdminHttp.Request(new HttpMethod(method), path, key, method == "PUT" ? "{\"engaged\":true}" : null));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(await factory.Services.GetRequiredService<RuntimeControls>().IsSendingDisabledAsync("dev", CancellationToken.None));
    }
}
