using System.Text.Json.Nodes;
using ResticManager.BuildingBlocks;

namespace ResticManager.Notifications;

/// <summary>
/// One kind of channel: which of its settings are secret, how they are validated, and how a
/// notification is sent. One singleton per <see cref="ChannelKind"/>, found by <see cref="ChannelKinds"/>.
/// </summary>
public interface INotificationChannel
{
    ChannelKind Kind { get; }

    /// <summary>Setting names stored encrypted and never returned by a GET (camelCase, as in the API).</summary>
    IReadOnlySet<string> SecretSettings { get; }

    /// <summary>
    /// Checks the whole settings object (secrets included) and records each problem as
    /// <c>settings.&lt;name&gt;</c>. Called at create and update, and with the stored secrets merged in.
    /// </summary>
    void Validate(JsonObject settings, FieldErrors errors);

    /// <summary>Sends one notification; never throws for a failed attempt (the answer says why).</summary>
    Task<DeliveryResult> SendAsync(Notification notification, JsonObject settings, CancellationToken ct);
}
