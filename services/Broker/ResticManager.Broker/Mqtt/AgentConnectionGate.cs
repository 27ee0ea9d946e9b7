using System.Globalization;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using MQTTnet.Server;
using ResticManager.Contracts;
using ResticManager.Protocol;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Broker;

/// <summary>
/// Decides every MQTT CONNECT: no anonymous clients, client id = username = a valid agent id,
/// a supported agent protocol version, a bounded session, and credentials the inventory accepts.
/// Each refusal carries its MQTT 5 reason code and a reason string, and is logged once per window.
/// Services asking agents questions connect as <see cref="ServiceClients.Username"/> with the shared
/// service secret, checked here without the inventory. Read-only users of the fleet stream connect with
/// their configured name and password (<see cref="FleetStreamAccess"/>) and a client id no agent or service can have.
/// </summary>
public sealed class AgentConnectionGate(
    IRequestClient<AuthenticateAgent> authenticate,
    ConnectionRegistry connections,
    ServiceMqttCredentials serviceCredentials,
    FleetStreamAccess fleetStream,
    IOptions<BrokerOptions> options,
    TimeProvider clock,
    ILogger<AgentConnectionGate> logger)
{
    readonly LogOnce logOnce = new(clock, TimeSpan.FromMinutes(1));

    public async Task ValidateAsync(ValidatingConnectionEventArgs e)
    {
        var clientId = e.ClientId;
        if (string.IsNullOrEmpty(e.UserName) || e.RawPassword is not { Length: > 0 })
        {
            Refuse(e, MqttConnectReasonCode.BadUserNameOrPassword, "username and password are required");
            return;
        }

        if (string.Equals(e.UserName, ServiceClients.Username, StringComparison.Ordinal))
        {
            ValidateService(e);
            return;
        }

        if (fleetStream.IsReader(e.UserName))
        {
            ValidateReader(e);
            return;
        }

        if (!AgentIdentity.IsValid(clientId) || !string.Equals(clientId, e.UserName, StringComparison.Ordinal))
        {
            Refuse(e, MqttConnectReasonCode.ClientIdentifierNotValid, "client id must equal the username, which is the agent id");
            return;
        }

        var version = UserProperty(e.UserProperties, ProtocolVersion.ConnectProperty);
        if (!int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var protocolVersion) || !ProtocolVersion.IsSupported(protocolVersion))
        {
            e.ResponseUserProperties =
            [
                new MqttUserProperty(ProtocolVersion.SupportedMinProperty, Utf8(ProtocolVersion.MinSupported)),
                new MqttUserProperty(ProtocolVersion.SupportedMaxProperty, Utf8(ProtocolVersion.MaxSupported)),
            ];
            Refuse(e, MqttConnectReasonCode.UnsupportedProtocolVersion,
                $"agent protocol version '{version ?? "(none)"}' is not supported; this server supports {ProtocolVersion.SupportedRange} (user property {ProtocolVersion.ConnectProperty})");
            return;
        }

        if (e.SessionExpiryInterval > options.Value.MaxSessionExpirySeconds)
        {
            Refuse(e, MqttConnectReasonCode.ImplementationSpecificError,
                $"session expiry {e.SessionExpiryInterval}s exceeds the maximum {options.Value.MaxSessionExpirySeconds}s");
            return;
        }

        AgentAuthenticationResult result;
        try
        {
            var response = await authenticate.GetResponse<AgentAuthenticationResult>(
                new AuthenticateAgent(clientId, SecretTokens.Hash(e.Password)), e.CancellationToken, RequestTimeout.After(ms: (int)options.Value.AuthenticationTimeout.TotalMilliseconds));
            result = response.Message;
        }
        catch (Exception ex) when (ex is RequestTimeoutException or RequestFaultException or OperationCanceledException)
        {
            Refuse(e, MqttConnectReasonCode.ServerUnavailable, "credentials cannot be checked right now; retry later");
            return;
        }

        if (result.Revoked)
        {
            Refuse(e, MqttConnectReasonCode.NotAuthorized, "this host has been revoked");
            return;
        }

        if (!result.Accepted)
        {
            Refuse(e, MqttConnectReasonCode.BadUserNameOrPassword, "bad username or password");
            return;
        }

        var seq = long.TryParse(UserProperty(e.UserProperties, ProtocolVersion.ConnectSequenceProperty), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
        if (seq > ProtocolVersion.MaxConnectionSeq)
        {
            Refuse(e, MqttConnectReasonCode.ImplementationSpecificError,
                $"connection sequence {seq} exceeds {ProtocolVersion.MaxConnectionSeq} (user property {ProtocolVersion.ConnectSequenceProperty})");
            return;
        }

        connections.Accepted(clientId, e.RemoteEndPoint?.ToString() ?? string.Empty, seq);
    }

    /// <summary>A service client: its own client id form and the shared secret; it has no presence and no protocol version.</summary>
    void ValidateService(ValidatingConnectionEventArgs e)
    {
        if (!ServiceClients.IsServiceClientId(e.ClientId))
        {
            Refuse(e, MqttConnectReasonCode.ClientIdentifierNotValid, $"a service's client id must start with '{ServiceClients.ClientIdPrefix}' followed by [a-z0-9_-]");
            return;
        }

        if (!serviceCredentials.Matches(e.RawPassword))
        {
            Refuse(e, MqttConnectReasonCode.BadUserNameOrPassword, "bad username or password");
            return;
        }

        if (e.SessionExpiryInterval > options.Value.MaxSessionExpirySeconds)
        {
            Refuse(e, MqttConnectReasonCode.ImplementationSpecificError,
                $"session expiry {e.SessionExpiryInterval}s exceeds the maximum {options.Value.MaxSessionExpirySeconds}s");
        }
    }

    /// <summary>
    /// A reader: its password, and a client id that can never be an agent's or a service's, so it can never take
    /// over their sessions and subscriptions. An empty client id gets one assigned (MQTT 5), as mosquitto_sub asks.
    /// </summary>
    void ValidateReader(ValidatingConnectionEventArgs e)
    {
        if (!FleetReaders.IsValidClientId(e.ClientId))
        {
            Refuse(e, MqttConnectReasonCode.ClientIdentifierNotValid,
                "a reader's client id must be empty (assigned) or contain a character an agent id cannot (an uppercase letter, '.', ':'), without '$', '+', '#' and '/'");
            return;
        }

        if (string.IsNullOrEmpty(e.ClientId))
        {
            // Assigned before any refusal: MQTTnet answers an empty client id without one with 0x85, hiding the real reason.
            e.AssignedClientIdentifier = FleetReaders.AssignedClientIdPrefix + Guid.NewGuid().ToString("N");
        }

        if (!fleetStream.Authenticate(e.UserName, e.RawPassword))
        {
            Refuse(e, MqttConnectReasonCode.BadUserNameOrPassword, "bad username or password");
            return;
        }

        if (e.SessionExpiryInterval > options.Value.MaxSessionExpirySeconds)
        {
            Refuse(e, MqttConnectReasonCode.ImplementationSpecificError,
                $"session expiry {e.SessionExpiryInterval}s exceeds the maximum {options.Value.MaxSessionExpirySeconds}s");
        }
    }

    void Refuse(ValidatingConnectionEventArgs e, MqttConnectReasonCode code, string reason)
    {
        e.ReasonCode = code;
        e.ReasonString = reason;
        // Keyed by address and reason, not by the (unchecked, unbounded) client id a stranger sends.
        var address = (e.RemoteEndPoint as System.Net.IPEndPoint)?.Address.ToString() ?? "?";
        if (logOnce.ShouldLog($"connect:{address}:{code}"))
        {
            var clientId = e.ClientId is { Length: > 64 } longId ? longId[..64] + "…" : e.ClientId;
            logger.LogWarning("MQTT CONNECT from {Endpoint} as {ClientId} refused ({ReasonCode}): {Reason}", e.RemoteEndPoint, clientId, code, reason);
        }
    }

    static string? UserProperty(List<MqttUserProperty>? properties, string name) =>
        properties?.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal))?.ReadValueAsString();

    static ReadOnlyMemory<byte> Utf8(int value) => System.Text.Encoding.UTF8.GetBytes(value.ToString(CultureInfo.InvariantCulture));
}
