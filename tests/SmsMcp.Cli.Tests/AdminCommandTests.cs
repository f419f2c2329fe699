using SmsMcp.Cli.Output;
using SmsMcp.Cli.Tests.Infrastructure;
using SmsMcp.EndToEnd.Tests.Infrastructure;

namespace SmsMcp.Cli.Tests;

/// <summary>The admin commands against the real server: what they change is what the server then does.</summary>
public sealed class AdminCommandTests
{
    private static string[] Admin(ServerProcess server, params string[] args) =>
        [.. args, $"http://127.0.0.1:{server.Port}", "--admin-key", ServerProcess.AdminKey, "--json"];

    [Fact]
    public async Task KillSwitchOn_SendsRefused_ThenOff_SendsAgain()
    {
        await using var server = await ServerProcess.StartAsync();
        await using var agent = await OperatorClient.ConnectAgentAsync(server, "cli-admin", CancellationToken.None);
        var send = new Dictionary<string, object?> { ["to"] = "demo", ["body"] = "hello" };

        var on = await CliRun.RunAsync(Admin(server, "controls", "--kill-switch", "on"));
        Assert.Equal(ExitCodes.Ok, on.ExitCode);
        var state = JsonSchemas.AssertValid(on.Output, "controls.schema.json")["result"]!["controls"]![0]!;
        Assert.Equal(("kill_switch", true, "admin:e2e-ops"), ((string)state["control"]!, (bool)state["engaged"]!, (string)state["changed_by"]!));
        var refused = await agent.CallToolAsync("preview_sms", send);
        Assert.Equal("sending_disabled", refused.StructuredContent!.Value.GetProperty("reason_code").GetString());

        var off = await CliRun.RunAsync(Admin(server, "controls", "--kill-switch", "off"));
        Assert.Equal(ExitCodes.Ok, off.ExitCode);
        Assert.False((bool)JsonSchemas.AssertValid(off.Output, "controls.schema.json")["result"]!["controls"]![0]!["engaged"]!);
        var sentMonth = DateTime.UtcNow.ToString("yyyy-MM");
        var sent = await agent.CallToolAsync("send_sms", send);
        Assert.NotEqual(true, sent.IsError);

        var usage = await CliRun.RunAsync(Admin(server, "usage"));
        Assert.Equal(ExitCodes.Ok, usage.ExitCode);
        var dev = JsonSchemas.AssertValid(usage.Output, "usage.schema.json")["result"]!["callers"]!.AsArray().Single(c => (string)c!["caller_id"]! == "dev")!;

        // The one send of this fresh server, counted this month; across a month boundary it lands on either side.
        var messages = (int)dev["usage"]!["this_month"]!["messages"]!;
        if ((string)dev["usage"]!["this_month"]!["period"]! == sentMonth)
        {
            Assert.Equal(1, messages);
        }
        else
        {
            Assert.InRange(messages, 0, 1);
        }
    }

    [Fact]
    public async Task WrongAdminKey_ExitRefused_NothingChanged()
    {
        await using var server = await ServerProcess.StartAsync();

        var result = await CliRun.RunAsync("controls", $"http://127.0.0.1:{server.Port}", "--admin-key", ServerProcess.ApiKey, "--kill-switch", "on", "--json");

        Assert.Equal(ExitCodes.Refused, result.ExitCode);
        Assert.Equal("refused", (string?)JsonSchemas.AssertValid(result.Output)["error"]!["code"]);
        var read = await CliRun.RunAsync(Admin(server, "controls"));
        Assert.False((bool)JsonSchemas.AssertValid(read.Output, "controls.schema.json")["result"]!["controls"]![0]!["engaged"]!);
    }

    [Fact]
    public async Task Approvals_ListedThenApproved_MessageGoesOut()
    {
        var fixture = new ApprovalServerFixture();
        await fixture.InitializeAsync();
        try
        {
            await ApproveAsync(fixture.Server);
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    private static async Task ApproveAsync(ServerProcess server)
    {
        await using var agent = await OperatorClient.ConnectAgentAsync(server, "cli-approvals", CancellationToken.None);
        var sent = await agent.CallToolAsync("send_sms", new Dictionary<string, object?> { ["to"] = "demo", ["body"] = "first contact" });
        Assert.Equal("pending_approval", sent.StructuredContent!.Value.GetProperty("status").GetString());
        Assert.Empty(server.OutboxLines());

        var list = await CliRun.RunAsync(Admin(server, "approvals", "list"));
        var pending = Assert.Single(JsonSchemas.AssertValid(list.Output, "approvals-list.schema.json")["result"]!["pending"]!.AsArray());
        var id = (string)pending!["request_id"]!;

        var approve = await CliRun.RunAsync([.. Admin(server, "approvals", "approve"), id]);
        Assert.Equal(ExitCodes.Ok, approve.ExitCode);
        Assert.Equal("approved", (string?)JsonSchemas.AssertValid(approve.Output, "approvals-resolve.schema.json")["result"]!["outcome"]);
        Assert.Single(server.OutboxLines());
        var again = await CliRun.RunAsync([.. Admin(server, "approvals", "deny"), id]);
        Assert.Equal(ExitCodes.Refused, again.ExitCode);
        Assert.Equal("already resolved", (string?)JsonSchemas.AssertValid(again.Output, "approvals-resolve.schema.json")["result"]!["outcome"]);
    }
}
