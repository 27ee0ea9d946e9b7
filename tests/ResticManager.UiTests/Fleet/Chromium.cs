using Microsoft.Playwright;

namespace ResticManager.UiTests;

/// <summary>
/// Debian's chromium (installed by tests/run-all.sh) driven by Playwright's bundled driver: no browser
/// is ever downloaded. Shared with the dashboard benchmark (linked into tests/ResticManager.Benchmarks).
/// </summary>
public static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"{ExecutablePath} is missing: apt-get install chromium (tests/run-all.sh does)");
        }

        return playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args =
            [
                // Chromium refuses to run as root with its sandbox; tests and CI run as root.
                .. Environment.UserName == "root" ? ["--no-sandbox"] : Array.Empty<string>(),
                // Containers often have a small /dev/shm; a crashed renderer would look like a UI bug.
                "--disable-dev-shm-usage",
                "--disable-gpu",
            ],
        });
    }
}
