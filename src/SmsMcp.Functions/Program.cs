using Microsoft.Extensions.Hosting;
using SmsMcp.Core.Phone;
using SmsMcp.Http.Mcp;

namespace SmsMcp.Functions;

/// <summary>
/// The isolated worker: the Functions host starts this process and proxies HTTP to its ASP.NET Core pipeline. Not
/// top-level statements: those would make a public <c>Program</c> that clashes with the standalone server's in tests.
/// </summary>
internal static class WorkerProgram
{
    private static Task Main(string[] args)
    {
        PhoneMetadataWarmUp.Start(); // overlaps the worker's start-up; the policy check at start waits for it
        ToolCatalogWarmUp.Start(); // likewise: the MCP registration takes it
        return SmsMcpFunctionsApp.CreateBuilder(args).Build().RunAsync();
    }
}
