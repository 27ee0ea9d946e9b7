using System.Globalization;

/// <summary><c>--name value</c> options and <c>--flag</c> switches of a benchmark command.</summary>
sealed class BenchmarkArguments(string[] args)
{
    public int Int(string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    public bool Has(string flag) => args.Contains(flag);
}
