namespace ResticManager.Testing;

/// <summary>Where the built programs are: the repository uses the artifacts output layout.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>debug or release: the same configuration the tests were built with.</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;

    public static string ProgramDll(string project) =>
        Path.Combine(Root, "artifacts", "bin", project, Configuration, project + ".dll");

    static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ResticManager.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("ResticManager.sln not found above " + AppContext.BaseDirectory);
    }
}
