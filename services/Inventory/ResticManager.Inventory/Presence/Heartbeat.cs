namespace ResticManager.Inventory;

/// <summary>A heartbeat of connection <see cref="ConnectionSeq"/> of host <see cref="HostId"/>, received by the server at <see cref="At"/>.</summary>
public readonly record struct Heartbeat(string HostId, long ConnectionSeq, DateTime At)
{
    /// <summary>
    /// Per host, the latest heartbeat of its newest connection: applied after it, any other of the same
    /// host would change nothing (an older connection's is ignored, an earlier one of the same connection too).
    /// </summary>
    public static List<Heartbeat> LatestPerHost(IEnumerable<Heartbeat> heartbeats)
    {
        var latest = new Dictionary<string, Heartbeat>(StringComparer.Ordinal);
        foreach (var heartbeat in heartbeats)
        {
            if (!latest.TryGetValue(heartbeat.HostId, out var kept)
                || heartbeat.ConnectionSeq > kept.ConnectionSeq
                || (heartbeat.ConnectionSeq == kept.ConnectionSeq && heartbeat.At > kept.At))
            {
                latest[heartbeat.HostId] = heartbeat;
            }
        }

        return [.. latest.Values];
    }
}
