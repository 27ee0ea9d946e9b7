namespace ResticManager.IntegrationTests.Packaging;

/// <summary>One line of <c>dpkg-deb --contents</c>: <c>-rwxr-xr-x root/root 1234 2026-11-30 05:33 ./usr/bin/x</c>.</summary>
sealed record DebEntry(string Mode, string Owner, long Size, string Path, string? LinkTarget)
{
    public bool IsDirectory => Mode[0] == 'd';

    public bool IsLink => Mode[0] == 'l';

    public static DebEntry Parse(string line)
    {
        var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 6)
        {
            throw new FormatException($"not a dpkg-deb --contents line: '{line}'");
        }

        var name = fields[5];
        string? target = null;
        if (fields[0][0] == 'l' && name.Split(" -> ", 2) is [var link, var pointsTo])
        {
            name = link;
            target = pointsTo;
        }

        // "./usr/bin/x" and "./etc/x/": compared as "/usr/bin/x" and "/etc/x".
        var path = name.TrimStart('.').TrimEnd('/');
        return new DebEntry(fields[0], fields[1], long.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture), path.Length == 0 ? "/" : path, target);
    }
}
