using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ResticManager.BuildingBlocks;
using ResticManager.Notifications;

namespace ResticManager.UnitTests.Notifications;

/// <summary>
/// The channel boundary of the engine tests: a webhook-kind sender that records what it is asked to send and
/// answers as the test says, per channel (the channel's <c>box</c> setting names it).
/// </summary>
public sealed class EngineRecordingChannel : INotificationChannel
{
    readonly ConcurrentDictionary<string, Func<Notification, CancellationToken, Task<DeliveryResult>>> answers = new();

    public ChannelKind Kind => ChannelKind.Webhook;

    public IReadOnlySet<string> SecretSettings { get; } = new HashSet<string> { "secret" };

    /// <summary>Every attempt, in order: the box, the notification, and whether it was answered delivered.</summary>
    public ConcurrentQueue<(string Box, Notification Notification, bool Delivered, string? Secret)> Attempts { get; } = new();

    public IReadOnlyList<Notification> Delivered(string box) =>
        Attempts.Where(a => a.Box == box && a.Delivered).Select(a => a.Notification).ToList();

    public void Answer(string box, Func<Notification, CancellationToken, Task<DeliveryResult>> answer) => answers[box] = answer;

    public void Validate(JsonObject settings, FieldErrors errors)
    {
    }

    public async Task<DeliveryResult> SendAsync(Notification notification, JsonObject settings, CancellationToken ct)
    {
        var box = settings["box"]?.GetValue<string>() ?? "";
        var result = answers.TryGetValue(box, out var answer) ? await answer(notification, ct) : DeliveryResult.Ok("200 OK");
        Attempts.Enqueue((box, notification, result.Delivered, settings["secret"]?.GetValue<string>()));
        return result;
    }
}
