using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using SmsMcp.Functions;

// The isolated worker: the Functions host starts this process and proxies HTTP to its ASP.NET Core pipeline.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddSmsMcpFunctions(builder.Configuration, builder.Environment);
await builder.Build().RunAsync();
