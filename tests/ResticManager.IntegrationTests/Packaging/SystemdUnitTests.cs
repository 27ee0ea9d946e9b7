using System.Globalization;
using System.Text.RegularExpressions;

namespace ResticManager.IntegrationTests.Packaging;

/// <summary>
/// The units as the .debs install them: <c>systemd-analyze verify</c> on each (ExecStart present and executable,
/// Documentation= a real man page, every setting known), and <c>systemd-analyze security</c>'s exposure score.
/// </summary>
public sealed partial class SystemdUnitTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("resticmanager-agent")]
    [InlineData("resticmanager-server")]
    public async Task Verify_passes_on_the_installed_unit(string package)
    {
        using var root = await InstalledRootAsync(package);
        // verify loads the unit with this machine's own units beside it (the targets it is ordered after), and
        // checks ExecStart= inside the root; `man` looks for the Documentation= page among the package's.
        var verify = await Tool.RunAsync("systemd-analyze", ["verify", "--root=" + root.Path, package + ".service"],
            new Dictionary<string, string> { ["MANPATH"] = root.Combine("usr", "share", "man") });
        output.WriteLine(verify.Output);
        Assert.True(verify.ExitCode == 0 && verify.Output.Trim().Length == 0, $"systemd-analyze verify {package}.service: {verify}");
    }

    [Theory]
    [InlineData("resticmanager-agent", 4.0, true)]
    [InlineData("resticmanager-server", 3.0, false)]
    public async Task Security_exposure_is_within(string package, double limit, bool limitAllowed)
    {
        using var root = await InstalledRootAsync(package);
        var security = await Tool.RunAsync("systemd-analyze", "security", "--offline=true", root.Combine("lib", "systemd", "system", package + ".service"));
        output.WriteLine(security.Output);
        var overall = OverallExposure().Match(security.Output);
        Assert.True(overall.Success, $"no 'Overall exposure level' line: {security}");
        var exposure = double.Parse(overall.Groups["score"].Value, CultureInfo.InvariantCulture);
        var bound = (limitAllowed ? "at or under " : "under ") + limit.ToString("F1", CultureInfo.InvariantCulture);
        output.WriteLine($"{package}.service: exposure {exposure:F1} (must be {bound})");
        Assert.True(limitAllowed ? exposure <= limit : exposure < limit, $"{package}.service exposure {exposure:F1} is not {bound}:\n{security.Output}");
    }

    /// <summary>A folder holding this machine's unit files with the package's files unpacked over them.</summary>
    static async Task<TempDirectory> InstalledRootAsync(string package)
    {
        var root = new TempDirectory("rm-units");
        var units = root.Combine("lib", "systemd", "system");
        Directory.CreateDirectory(units);
        foreach (var unit in Directory.EnumerateFiles("/lib/systemd/system"))
        {
            File.Copy(unit, Path.Combine(units, Path.GetFileName(unit)));
        }

        await (await DebPackage.OpenAsync(PackagedBuilds.Deb(package))).ExtractAsync(root.Path);
        return root;
    }

    [GeneratedRegex(@"Overall exposure level for \S+: (?<score>\d+\.\d+)")]
    private static partial Regex OverallExposure();
}
