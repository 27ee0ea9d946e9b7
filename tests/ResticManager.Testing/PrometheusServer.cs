using System.Globalization;
using System.Text.Json;

namespace ResticManager.Testing;

/// <summary>
/// A real Prometheus (Debian's <c>prometheus</c>) scraping one target every second, with its storage in a temporary
/// folder and its HTTP API on a free port; disposing it stops it and removes the folder.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    readonly ChildProcess process;
    readonly TempDirectory folder;
    readonly HttpClient api;

    PrometheusServer(ChildProcess process, TempDirectory folder, int port)
    {
        this.process = process;
        this.folder = folder;
        api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public ChildProcess Process => process;

    /// <param name="target">host:port of the process to scrape.</param>
    /// <param name="bearerToken">Sent as <c>Authorization: Bearer</c> when set.</param>
    public static async Task<PrometheusServer> StartAsync(string target, string metricsPath = "/metrics", string? bearerToken = null)
    {
        var folder = new TempDirectory("rm-prometheus");
        var port = FreePort.Next();
        var authorization = bearerToken is null ? "" : $"    authorization:\n      credentials: \"{bearerToken}\"\n";
        File.WriteAllText(folder.Combine("prometheus.yml"),
            "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n" +
            $"  - job_name: resticmanager\n    metrics_path: {metricsPath}\n{authorization}    static_configs:\n      - targets: [\"{target}\"]\n");
        var process = ChildProcess.Start("prometheus", "prometheus",
        [
            "--config.file=" + folder.Combine("prometheus.yml"),
            "--storage.tsdb.path=" + folder.Combine("data"),
            "--web.listen-address=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
            "--log.level=warn",
        ]);
        var prometheus = new PrometheusServer(process, folder, port);
        try
        {
            await Eventually.HoldsAsync(async () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"prometheus exited with {process.ExitCode}:\n{process.Output}");
                }

                try
                {
                    using var ready = await prometheus.api.GetAsync("/-/ready");
                    return ready.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(60), "prometheus is ready");
            return prometheus;
        }
        catch
        {
            await prometheus.DisposeAsync();
            throw;
        }
    }

    /// <summary>An instant PromQL query over the HTTP API: each result's labels and value (an empty list when nothing matched).</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryAsync(string promql)
    {
        using var response = await api.GetAsync("/api/v1/query?query=" + Uri.EscapeDataString(promql));
        var body = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(body);
        if (json.RootElement.GetProperty("status").GetString() != "success")
        {
            throw new InvalidOperationException($"query {promql} failed: {body}");
        }

        return json.RootElement.GetProperty("data").GetProperty("result").EnumerateArray().Select(r => (
            (IReadOnlyDictionary<string, string>)r.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? ""),
            double.Parse(r.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture))).ToList();
    }

    /// <summary>The single value of a query that aggregates to one series, or null while it has none.</summary>
    public async Task<double?> ScalarAsync(string promql) => (await QueryAsync(promql)) is [var only] ? only.Value : null;

    /// <summary>Whether the last scrape of the target succeeded (<c>up</c> is 1).</summary>
    public async Task<bool> TargetUpAsync() => await ScalarAsync("up") == 1;

    public async ValueTask DisposeAsync()
    {
        api.Dispose();
        await process.DisposeAsync();
        folder.Dispose();
    }
}
