using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace ResticManager.Agent;

public static partial class SystemInfo
{
    public static string Os =>
        OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsLinux() ? "linux" : OperatingSystem.IsMacOS() ? "darwin" : RuntimeInformation.OSDescription;

    /// <summary>Go-style names, as the original agents reported them.</summary>
    public static string Arch => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        Architecture.X86 => "386",
        Architecture.Arm => "arm",
        var other => other.ToString().ToLowerInvariant(),
    };

    /// <summary>The version the server compares with the one it ships: the informational version without build metadata.</summary>
    public static string AgentVersion => InformationalVersion.Split('+')[0];

    /// <summary>The build: the commit the SDK stamps after '+' (Source Link, from git), or "unknown" when built outside a checkout.</summary>
    public static string Build => InformationalVersion.Split('+') is [_, var build, ..] && build.Length > 0 ? build : "unknown";

    /// <summary>How this binary runs: its platform and whether it is native code or runs on the .NET runtime.</summary>
    public static string Runtime =>
        $"{RuntimeInformation.RuntimeIdentifier}, {(RuntimeFeature.IsDynamicCodeSupported ? $".NET {Environment.Version}" : "NativeAOT")}";

    static string InformationalVersion =>
        typeof(SystemInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>
    /// The version of restic at <paramref name="resticPath"/>, or null when it is missing or does not
    /// answer: a host without restic still runs the agent and shows up, just without a restic version.
    /// </summary>
    public static async Task<string?> DetectResticVersionAsync(string resticPath, CancellationToken ct)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(resticPath, "version")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return null;
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            var output = await process.StandardOutput.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            return process.ExitCode == 0 ? ParseResticVersion(output) : null;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or OperationCanceledException or IOException)
        {
            return null;
        }
    }

    /// <summary>"restic 0.14.0 compiled with go1.19.8 on linux/amd64" → "0.14.0".</summary>
    public static string? ParseResticVersion(string output)
    {
        var match = ResticVersionPattern().Match(output);
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex(@"restic\s+v?(\d+\.\d+\.\d+[\w.\-+]*)", RegexOptions.CultureInvariant)]
    private static partial Regex ResticVersionPattern();
}
