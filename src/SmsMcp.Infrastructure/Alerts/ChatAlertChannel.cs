using System.Text;
using System.Text.Json.Nodes;
using SmsMcp.Core.Watchdog.Alerts;

namespace SmsMcp.Infrastructure.Alerts;

/// <summary>
/// Chat channels: Microsoft Teams through a Workflows webhook (a message whose attachment is an Adaptive Card) and
/// Slack through an incoming webhook (<c>text</c> for notifications plus <c>blocks</c>). Both URLs are secrets
/// themselves (whoever has one can post), so they come from configuration backed by Key Vault references, never code.
/// </summary>
public sealed class ChatAlertChannel(HttpClient http, AlertChannelOptions options, TimeProvider time, ChatKind kind) : IAlertChannel
{
    public string Name => kind == ChatKind.Teams ? "teams" : "slack";

    public Task SendAsync(Alert alert, CancellationToken cancellationToken)
    {
        var url = kind == ChatKind.Teams ? options.TeamsUrl : options.SlackUrl;
        var payload = kind == ChatKind.Teams ? TeamsPayload(alert) : SlackPayload(alert);
        return HttpDelivery.PostAsync(http, options, time, () => new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(payload.ToJsonString(), Encoding.UTF8, "application/json") }, cancellationToken);
    }

    /// <summary>A Workflows "post to a channel when a webhook request is received" body: one Adaptive Card attachment.</summary>
    public static JsonObject TeamsPayload(Alert alert) => new()
    {
        ["type"] = "message",
        ["attachments"] = new JsonArray(new JsonObject
        {
            ["contentType"] = "application/vnd.microsoft.card.adaptive",
            ["content"] = new JsonObject
            {
                ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
                ["type"] = "AdaptiveCard",
                ["version"] = "1.5",
                ["body"] = new JsonArray(
                    new JsonObject
                    {
                        ["type"] = "TextBlock", ["size"] = "Medium", ["weight"] = "Bolder", ["wrap"] = true,
                        ["color"] = alert.Kind == AlertKind.Resolved ? "Good" : alert.Critical ? "Attention" : "Warning",
                        ["text"] = $"SmsMcp watchdog: {alert.Rule} {(alert.Kind == AlertKind.Resolved ? "resolved" : alert.Critical ? "(critical)" : "(warning)")}",
                    },
                    new JsonObject { ["type"] = "TextBlock", ["wrap"] = true, ["text"] = alert.Headline },
                    new JsonObject
                    {
                        ["type"] = "FactSet",
                        ["facts"] = new JsonArray([.. Facts(alert).Select(f => (JsonNode)new JsonObject { ["title"] = f.Name, ["value"] = f.Value })]),
                    }),
            },
        }),
    };

    /// <summary>A Slack incoming-webhook body: <c>text</c> (notifications, fallback) and <c>blocks</c>.</summary>
    public static JsonObject SlackPayload(Alert alert) => new()
    {
        ["text"] = "SmsMcp watchdog " + alert.Headline,
        ["blocks"] = new JsonArray(
            new JsonObject
            {
                ["type"] = "header",
                ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = $"SmsMcp watchdog: {alert.Rule} {(alert.Kind == AlertKind.Resolved ? "resolved" : alert.Critical ? "(critical)" : "(warning)")}" },
            },
            new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = alert.Headline } },
            new JsonObject
            {
                ["type"] = "section",
                ["fields"] = new JsonArray([.. Facts(alert).Take(10).Select(f => (JsonNode)new JsonObject { ["type"] = "mrkdwn", ["text"] = $"*{f.Name}*\n{f.Value}" })]),
            }),
    };

    private static IEnumerable<(string Name, string Value)> Facts(Alert alert) =>
        new[] { ("scope", alert.Scope), ("alert id", alert.Id), ("caller suspended", alert.CallerSuspended ? "yes" : "no") }
            .Concat(alert.Facts.Select(f => (f.Key, f.Value)));
}

/// <summary>Which chat service a <see cref="ChatAlertChannel"/> posts to.</summary>
public enum ChatKind
{
    Teams,
    Slack,
}
