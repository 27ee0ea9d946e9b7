using Xunit.Abstractions;

namespace ResticManager.Testing;

public static class Diagnostics
{
    /// <summary>Runs a test body; when it fails, the output of the processes involved goes to the test log.</summary>
    public static async Task DumpOnFailureAsync(this ITestOutputHelper output, Func<Task> body, params Func<ChildProcess?>[] processes)
    {
        try
        {
            await body();
        }
        catch
        {
            foreach (var process in processes.Select(p => p()).OfType<ChildProcess>())
            {
                var text = process.Output;
                output.WriteLine($"----- {process.Name} (pid {process.Id}) -----");
                output.WriteLine(text.Length > 20_000 ? text[^20_000..] : text);
            }

            throw;
        }
    }
}
