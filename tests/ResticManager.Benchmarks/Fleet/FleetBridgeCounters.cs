using System.Globalization;

/// <summary>
/// The bridge's own message counters from the <c>/metrics</c> of the process that runs it: agent messages forwarded to
/// the bus (<c>resticmanager_mqtt_messages_received_total</c>) and commands sent to agents
/// (<c>resticmanager_mqtt_messages_sent_total</c>), summed over their types. Null when the scrape fails or the
/// counters are absent.
/// </summary>
sealed record FleetBridgeCounters(double Received, double Sent)
{
    public static async Task<FleetBridgeCounters?> ScrapeAsync(HttpClient anonymous)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var text = await anonymous.GetStringAsync("/metrics", timeout.Token);
            double? received = null, sent = null;
            foreach (var line in text.Split('\n'))
            {
                if (line.StartsWith("resticmanager_mqtt_messages_received_total", StringComparison.Ordinal))
                {
                    received = (received ?? 0) + ValueOf(line);
                }
                else if (line.StartsWith("resticmanager_mqtt_messages_sent_total", StringComparison.Ordinal))
                {
                    sent = (sent ?? 0) + ValueOf(line);
                }
            }

            return received is null && sent is null ? null : new FleetBridgeCounters(received ?? 0, sent ?? 0);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>A sample line is <c>name{labels} value [timestamp]</c>.</summary>
    static double ValueOf(string line)
    {
        var afterLabels = (line.Contains('}') ? line[(line.LastIndexOf('}') + 1)..] : line[(line.IndexOf(' ') + 1)..]).Trim().Split(' ');
        return double.TryParse(afterLabels[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : 0;
    }
}
