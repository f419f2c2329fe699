using SmsMcp.Cli;
using SmsMcp.Cli.Output;

return await SmsMcpCommandLine.RunAsync(args, CliContext.ForProcess(), CancellationToken.None);
