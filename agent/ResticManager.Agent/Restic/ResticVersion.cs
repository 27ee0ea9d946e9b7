using System.Globalization;

namespace ResticManager.Agent.Restic;

/// <summary>restic's version as <c>restic version</c> prints it (<see cref="SystemInfo.ParseResticVersion"/>), for the features that depend on it.</summary>
public readonly record struct ResticVersion(int Major, int Minor, int Patch)
{
    /// <summary>restic 0.17 brought <c>restore --overwrite</c> (and <c>--dry-run</c>, JSON progress and summary).</summary>
    public bool HasRestoreOverwrite => this >= new ResticVersion(0, 17, 0);

    /// <summary>"0.14.0", "0.17.3-dev", "v0.18.1"; null for anything else, which counts as the oldest restic.</summary>
    public static ResticVersion? Parse(string? text)
    {
        var parts = (text ?? string.Empty).TrimStart('v').Split('.', 3);
        if (parts.Length < 3 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
        {
            return null;
        }

        var digits = new string(parts[2].TakeWhile(char.IsAsciiDigit).ToArray());
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var patch) ? new ResticVersion(major, minor, patch) : null;
    }

    public static bool operator >=(ResticVersion left, ResticVersion right) =>
        (left.Major, left.Minor, left.Patch).CompareTo((right.Major, right.Minor, right.Patch)) >= 0;

    public static bool operator <=(ResticVersion left, ResticVersion right) =>
        (left.Major, left.Minor, left.Patch).CompareTo((right.Major, right.Minor, right.Patch)) <= 0;

    public static bool operator >(ResticVersion left, ResticVersion right) => !(left <= right);

    public static bool operator <(ResticVersion left, ResticVersion right) => !(left >= right);

    public override string ToString() => $"{Major}.{Minor}.{Patch}";
}
