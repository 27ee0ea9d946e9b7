using System.Diagnostics;

namespace ResticManager.IntegrationTests.Packaging;

/// <summary>A command-line tool run to its end (dpkg-deb, lintian, systemd-analyze): its exit code and everything it printed.</summary>
sealed record Tool(int ExitCode, string Output)
{
    public static Task<Tool> RunAsync(string fileName, params string[] arguments) => RunAsync(fileName, arguments, environment: null);

    public static async Task<Tool> RunAsync(string fileName, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // Plain text for parsing: no colours, no pager, no emoji-dependent locale surprises.
        info.Environment["SYSTEMD_COLORS"] = "0";
        info.Environment["SYSTEMD_PAGER"] = "cat";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within 5 minutes");
        }

        return new Tool(process.ExitCode, (await output) + (await errors));
    }

    public override string ToString() => $"exit {ExitCode}:\n{Output}";
}
