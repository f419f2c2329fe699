using System.CommandLine;
using SmsMcp.Cli.Output;

namespace SmsMcp.Cli.Policy;

/// <summary><c>smsmcp policy check|test|diff</c>: the server's own policy validation and engine, offline.</summary>
internal static class PolicyCommand
{
    public static Command Create(CliContext context, GlobalOptions options)
    {
        var policy = new Command("policy", "Validate a send policy, test it against a table of sends, compare two versions.");

        var checkFile = new Argument<FileInfo>("file") { Description = "The policy JSON file." };
        var check = new Command("check", "Validate a policy exactly as the server does at start; errors name the field.") { checkFile };
        check.SetAction(context, options, "policy check", (parse, json, _) =>
            Task.FromResult(PolicyCheck.Run(context, parse.GetRequiredValue(checkFile), json)));

        var testFile = new Argument<FileInfo>("file") { Description = "The policy JSON file." };
        var cases = new Argument<FileInfo>("cases") { Description = "The cases file (JSON): caller, to, body, expected decision or reason code." };
        var test = new Command("test", "Evaluate a table of sends offline with the server's engine and compare with what each case expects.") { testFile, cases };
        test.SetAction(context, options, "policy test", (parse, json, ct) =>
            PolicyTest.RunAsync(context, parse.GetRequiredValue(testFile), parse.GetRequiredValue(cases), json, ct));

        var oldFile = new Argument<FileInfo>("old") { Description = "The policy in force." };
        var newFile = new Argument<FileInfo>("new") { Description = "The proposed policy." };
        var diff = new Command("diff", "List what changes for each caller between two policies.") { oldFile, newFile };
        diff.SetAction(context, options, "policy diff", (parse, json, _) =>
            Task.FromResult(PolicyDiff.Run(context, parse.GetRequiredValue(oldFile), parse.GetRequiredValue(newFile), json)));

        policy.Subcommands.Add(check);
        policy.Subcommands.Add(test);
        policy.Subcommands.Add(diff);
        return policy;
    }
}
