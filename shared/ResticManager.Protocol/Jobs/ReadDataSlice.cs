namespace ResticManager.Protocol;

/// <summary>restic's <c>--read-data-subset=n/t</c>: the n-th of t parts of the repository's data.</summary>
public readonly record struct ReadDataSlice(int Part, int Parts)
{
    /// <summary>Strict "n/t" with 1 ≤ n ≤ t, digits only: the text ends up on restic's command line.</summary>
    public static bool TryParse(string? text, out ReadDataSlice slice)
    {
        const System.Globalization.NumberStyles digits = System.Globalization.NumberStyles.None;
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        slice = default;
        if (text?.Split('/') is not [var n, var t] || !int.TryParse(n, digits, culture, out var part) || !int.TryParse(t, digits, culture, out var parts)
            || part < 1 || part > parts)
        {
            return false;
        }

        slice = new ReadDataSlice(part, parts);
        return true;
    }

    /// <summary>The slice of check number <paramref name="run"/> when each check reads <paramref name="percent"/>: the whole repository over ⌈100/percent⌉ checks.</summary>
    public static ReadDataSlice Rotating(int percent, int run)
    {
        var parts = (int)Math.Ceiling(100.0 / percent);
        return new ReadDataSlice(run % parts + 1, parts);
    }

    public override string ToString() => $"{Part}/{Parts}";
}
