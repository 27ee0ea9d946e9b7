using System.Diagnostics;

namespace ResticManager.Testing;

/// <summary>
/// What <c>packaging/build.sh</c> produces (agent builds per platform with <c>builds.json</c>, the server's
/// self-contained build, the .deb packages). The test command builds them once before the tests and names the
/// folder in <c>RM_PACKAGES</c>; a test run without it builds them here once per test process (minutes).
/// </summary>
public static class PackagedBuilds
{
    static readonly Lazy<string> Folder = new(Locate, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The folder holding <c>agent-builds/</c>, <c>server/</c> and the <c>*.deb</c> files.</summary>
    public static string Directory => Folder.Value;

    public static string AgentBuilds => Path.Combine(Directory, "agent-builds");

    /// <summary>The agent build for a platform (<c>linux-x64</c>, <c>linux-arm64</c>, <c>win-x64</c>).</summary>
    public static string Agent(string platform) =>
        Path.Combine(AgentBuilds, "resticmanager-agent-" + platform + (platform.StartsWith("win-", StringComparison.Ordinal) ? ".exe" : ""));

    /// <summary>The .deb of <paramref name="package"/> (<c>resticmanager-agent</c>, <c>resticmanager-server</c>) for <paramref name="arch"/>.</summary>
    public static string Deb(string package, string arch = "amd64") =>
        System.IO.Directory.GetFiles(Directory, $"{package}_*_{arch}.deb").SingleOrDefault()
            ?? throw new FileNotFoundException($"no {package}_*_{arch}.deb in {Directory}");

    static string Locate()
    {
        var given = Environment.GetEnvironmentVariable("RM_PACKAGES");
        if (!string.IsNullOrEmpty(given))
        {
            return File.Exists(Path.Combine(given, "agent-builds", "builds.json"))
                ? given
                : throw new InvalidOperationException($"RM_PACKAGES={given} has no agent-builds/builds.json: run packaging/build.sh --out {given}");
        }

        // One folder per test process: build.sh starts by removing its output, which must not happen under the
        // feet of another test process (unit and integration tests run side by side) still using its packages.
        var folder = Path.Combine(RepoPaths.Root, "artifacts", "packages-test", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var build = Process.Start(new ProcessStartInfo("bash", [Path.Combine(RepoPaths.Root, "packaging", "build.sh"), "--out", folder])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = build.StandardOutput.ReadToEndAsync();
        var errors = build.StandardError.ReadToEndAsync();
        build.WaitForExit();
        return build.ExitCode == 0
            ? folder
            : throw new InvalidOperationException($"packaging/build.sh failed ({build.ExitCode}):\n{output.Result}\n{errors.Result}");
    }
}
