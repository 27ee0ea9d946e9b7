using System.Globalization;

/// <summary><c>--name value</c> options and <c>--flag</c> switches of a benchmark command.</summary>
sealed class BenchmarkArguments(string[] args)
{
    public int Int(string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    public string String(string name, string fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }

    /// <summary>A duration written <c>500ms</c>, <c>30s</c>, <c>5m</c> or <c>1h</c> (a bare number is seconds).</summary>
    public TimeSpan Duration(string name, TimeSpan fallback)
    {
        var index = Array.IndexOf(args, name);
        if (index < 0 || index + 1 >= args.Length)
        {
            return fallback;
        }

        var text = args[index + 1].Trim();
        var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : text.EndsWith('h') ? (text[..^1], 3600.0)
            : (text, 1.0);
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? TimeSpan.FromSeconds(value * unit)
            : throw new ArgumentException($"{name} {text}: a duration such as 500ms, 30s or 5m");
    }

    public bool Has(string flag) => args.Contains(flag);
}
