using System.Globalization;

namespace ResticManager.FleetSimulator;

/// <summary>The simulator's command line: <c>--name value</c> pairs; durations as <c>500ms</c>, <c>30s</c>, <c>5m</c>, <c>1h</c> or <c>hh:mm:ss</c>.</summary>
public static class CommandLine
{
    public static FleetOptions? Parse(string[] args)
    {
        var values = Pairs(args);
        if (!values.TryGetValue("server", out var server) || !values.TryGetValue("token", out var token)
            || !values.TryGetValue("agents", out var agentsText) || !int.TryParse(agentsText, CultureInfo.InvariantCulture, out var agents) || agents < 1)
        {
            return null;
        }

        var options = new FleetOptions { ServerUrl = new Uri(server), AdminToken = token, Agents = agents, MqttUrl = values.GetValueOrDefault("mqtt") };
        if (values.TryGetValue("ramp", out var ramp))
        {
            options = options with { Ramp = ParseDuration(ramp) };
        }

        if (values.TryGetValue("heartbeat", out var heartbeat))
        {
            options = options with { HeartbeatInterval = ParseDuration(heartbeat) };
        }

        return options;
    }

    public static TimeSpan? Duration(string[] args) => Pairs(args).TryGetValue("duration", out var text) ? ParseDuration(text) : null;

    public static TimeSpan ParseDuration(string text)
    {
        text = text.Trim();
        static double Number(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
        return text switch
        {
            _ when text.EndsWith("ms", StringComparison.Ordinal) => TimeSpan.FromMilliseconds(Number(text[..^2])),
            _ when text.EndsWith('s') => TimeSpan.FromSeconds(Number(text[..^1])),
            _ when text.EndsWith('m') => TimeSpan.FromMinutes(Number(text[..^1])),
            _ when text.EndsWith('h') => TimeSpan.FromHours(Number(text[..^1])),
            _ => TimeSpan.Parse(text, CultureInfo.InvariantCulture),
        };
    }

    static Dictionary<string, string> Pairs(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i + 1 < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                values[args[i][2..]] = args[i + 1];
                i++;
            }
        }

        return values;
    }
}
