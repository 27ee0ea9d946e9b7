namespace ResticManager.IntegrationTests.Packaging;

/// <summary>A .deb that packaging/build.sh made: what it lists, and its files unpacked into a folder of the test's.</summary>
sealed class DebPackage
{
    DebPackage(string file, IReadOnlyList<DebEntry> entries)
    {
        File = file;
        Entries = entries;
    }

    public string File { get; }

    public IReadOnlyList<DebEntry> Entries { get; }

    public static async Task<DebPackage> OpenAsync(string file)
    {
        var contents = await Tool.RunAsync("dpkg-deb", "--contents", file);
        Assert.True(contents.ExitCode == 0, $"dpkg-deb --contents {file}: {contents}");
        var entries = contents.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(DebEntry.Parse).ToList();
        return new DebPackage(file, entries);
    }

    public DebEntry Entry(string path) =>
        Entries.SingleOrDefault(e => e.Path == path) ?? throw new Xunit.Sdk.XunitException($"{System.IO.Path.GetFileName(File)} has no {path}; it has:\n{string.Join('\n', Entries.Select(e => e.Path))}");

    /// <summary>Asserts one entry's permissions (as dpkg-deb prints them) and owner.</summary>
    public void AssertEntry(string path, string mode, string owner = "root/root")
    {
        var entry = Entry(path);
        Assert.True(entry.Mode == mode && entry.Owner == owner, $"{path}: {entry.Mode} {entry.Owner}, expected {mode} {owner}");
    }

    public async Task<string> FieldAsync(string field)
    {
        var value = await Tool.RunAsync("dpkg-deb", "--field", File, field);
        Assert.True(value.ExitCode == 0, $"dpkg-deb --field {field}: {value}");
        return value.Output.Trim();
    }

    /// <summary>Unpacks the files (not the maintainer scripts) into <paramref name="root"/>, as dpkg would under /.</summary>
    public async Task ExtractAsync(string root)
    {
        var extract = await Tool.RunAsync("dpkg-deb", "-x", File, root);
        Assert.True(extract.ExitCode == 0, $"dpkg-deb -x: {extract}");
    }
}
