using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ResticManager.BuildingBlocks;
using ResticManager.Notifications;

namespace ResticManager.UnitTests.Notifications;

/// <summary>
/// The channel senders as the service registers them (AddNotificationChannels: named HTTP client, singletons),
/// a sample failure notification, and validation answers as field → messages.
/// </summary>
public sealed class ChannelHarness : IDisposable
{
    readonly IHost host;

    public ChannelHarness()
        : this(TimeSpan.FromSeconds(10))
    {
    }

    ChannelHarness(TimeSpan sendTimeout)
    {
        var builder = Host.CreateApplicationBuilder(["--Notifications:SendTimeout", sendTimeout.ToString("c", System.Globalization.CultureInfo.InvariantCulture)]);
        builder.AddNotificationChannels();
        host = builder.Build();
        Kinds = host.Services.GetRequiredService<ChannelKinds>();
    }

    public ChannelKinds Kinds { get; }

    /// <summary>A harness of its own whose attempts time out after <paramref name="sendTimeout"/>.</summary>
    public static ChannelHarness WithSendTimeout(TimeSpan sendTimeout) => new(sendTimeout);

    public const string Hostname = "web-01";
    public const string Group = "documents";
    public const string Error = "Fatal: unable to open config file: stat /srv/repo/config: no such file or directory";
    public const string JobLink = "https://rm.example.test/jobs/job-4711";

    public static NotificationItem FailedItem(int n = 0) => new(
        NotificationEvent.JobFailed,
        n == 0 ? $"Backup of {Group} on {Hostname} failed" : $"Backup {n} failed",
        DateTimeOffset.UtcNow,
        HostId: "host-1",
        Hostname: Hostname,
        SourceGroupId: "grp-1",
        SourceGroupName: Group,
        JobId: "job-4711",
        Error: Error,
        Link: JobLink);

    public static Notification Failure(params NotificationItem[] items) => new(
        "dlv-" + Guid.NewGuid().ToString("N")[..12],
        $"Backup failed on {Hostname}",
        "1 backup failed.",
        NotificationSeverity.Critical,
        items.Length == 0 ? [FailedItem()] : items,
        DateTimeOffset.UtcNow,
        JobLink);

    public Task<DeliveryResult> SendAsync(ChannelKind kind, Notification notification, JsonObject settings) =>
        Kinds[kind].SendAsync(notification, settings, CancellationToken.None);

    /// <summary>Field → messages for <paramref name="settings"/>; empty when valid.</summary>
    public IDictionary<string, string[]> Validate(ChannelKind kind, string settings)
    {
        var errors = new FieldErrors();
        Kinds[kind].Validate(JsonNode.Parse(settings)!.AsObject(), errors);
        return errors.ToProblem().ProblemDetails.Errors;
    }

    public void Dispose() => host.Dispose();
}
