namespace ResticManager.Testing;

/// <summary>
/// Where a server process finds the web UI's built files. When the server's build put them in its
/// <c>wwwroot</c>, nothing is needed; otherwise <c>web/</c> is built here (<c>npm ci</c> when its
/// <c>node_modules</c> is missing, <c>npm run build</c> when <c>web/dist</c> is missing or older than a
/// source) and the server is pointed at it with <c>WebUi:Path</c>.
/// </summary>
public static class WebUi
{
    static readonly SemaphoreSlim Gate = new(1, 1);

    public static string SourcePath => Path.Combine(RepoPaths.Root, "web");

    public static string DistPath => Path.Combine(SourcePath, "dist");

    /// <summary>The settings that make a server process serve the current UI (empty when its build already does).</summary>
    public static async Task<IDictionary<string, string>> ServerSettingsAsync()
    {
        var served = Path.Combine(Path.GetDirectoryName(RepoPaths.ProgramDll("ResticManager.Server"))!, "wwwroot", "index.html");
        if (File.Exists(served))
        {
            return new Dictionary<string, string>();
        }

        await Gate.WaitAsync();
        try
        {
            if (IsStale())
            {
                if (!Directory.Exists(Path.Combine(SourcePath, "node_modules")))
                {
                    await NpmAsync("ci", "--no-audit", "--no-fund");
                }

                await NpmAsync("run", "build");
            }
        }
        finally
        {
            Gate.Release();
        }

        return new Dictionary<string, string> { ["WebUi:Path"] = DistPath };
    }

    static bool IsStale()
    {
        var built = new FileInfo(Path.Combine(DistPath, "index.html"));
        if (!built.Exists)
        {
            return true;
        }

        var sources = Directory.EnumerateFiles(Path.Combine(SourcePath, "src"), "*", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(SourcePath, "*.*", SearchOption.TopDirectoryOnly));
        return sources.Any(f => File.GetLastWriteTimeUtc(f) > built.LastWriteTimeUtc);
    }

    static async Task NpmAsync(params string[] args)
    {
        await using var npm = ChildProcess.Start("npm " + string.Join(' ', args), "npm", args, workingDirectory: SourcePath);
        var code = await npm.WaitForExitAsync(TimeSpan.FromMinutes(5));
        if (code != 0)
        {
            throw new InvalidOperationException($"npm {string.Join(' ', args)} in {SourcePath} exited with {code}:\n{npm.Output}");
        }
    }
}
