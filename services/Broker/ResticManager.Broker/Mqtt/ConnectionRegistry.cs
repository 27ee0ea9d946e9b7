using System.Collections.Concurrent;

namespace ResticManager.Broker;

/// <summary>
/// The connection sequence number each live connection announced at CONNECT, keyed by client id
/// and remote endpoint. MQTTnet reuses a persistent session's items across connections, so the
/// session cannot tell which connection a disconnect belongs to; the endpoint can. Only a
/// connection that announced itself online (status or hello) has a presence to end.
/// </summary>
public sealed class ConnectionRegistry
{
    readonly ConcurrentDictionary<string, Connection> live = new(StringComparer.Ordinal);

    // Kept after disconnects: one number per agent that connected since the broker started.
    readonly ConcurrentDictionary<string, long> highestSeq = new(StringComparer.Ordinal);

    public void Accepted(string clientId, string endpoint, long seq)
    {
        live[clientId] = new Connection(endpoint, seq);
        highestSeq.AddOrUpdate(clientId, seq, (_, highest) => Math.Max(highest, seq));
    }

    /// <summary>
    /// False when a presence message names a connection sequence beyond any this agent has connected
    /// with: such a message would put the host's presence ahead of every real connection to come, and
    /// leave a connected host offline for good. Unknown agents (none seen since the start) pass.
    /// </summary>
    public bool IsPlausibleSeq(string clientId, long seq) => !highestSeq.TryGetValue(clientId, out var highest) || seq <= highest;

    public void Announced(string clientId)
    {
        if (live.TryGetValue(clientId, out var connection))
        {
            connection.Announced = true;
        }
    }

    /// <summary>Forgets the connection; true when it had announced itself and so must now be reported offline.</summary>
    public bool TryRemoveAnnounced(string clientId, string endpoint, out long seq)
    {
        seq = 0;
        if (live.TryGetValue(clientId, out var connection) && connection.Endpoint == endpoint
            && live.TryRemove(new KeyValuePair<string, Connection>(clientId, connection)))
        {
            seq = connection.Seq;
            return connection.Announced;
        }

        return false;
    }

    sealed class Connection(string endpoint, long seq)
    {
        public string Endpoint { get; } = endpoint;

        public long Seq { get; } = seq;

        public volatile bool Announced;
    }
}
