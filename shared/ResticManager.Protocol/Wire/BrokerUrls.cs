namespace ResticManager.Protocol;

/// <summary>The broker URLs an agent can dial: MQTT over TCP or WebSocket, each plain or with TLS.</summary>
public static class BrokerUrls
{
    public static bool IsValid(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "mqtt" or "mqtts" or "ws" or "wss" && !string.IsNullOrEmpty(uri.Host);
}
