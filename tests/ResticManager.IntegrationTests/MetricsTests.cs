namespace ResticManager.IntegrationTests;

/// <summary>
/// Debian's Prometheus scrapes the embedded server's <c>/metrics</c>, and PromQL over its HTTP API answers the fleet's
/// figures. A server of its own: the counts asserted are exactly this test's hosts and jobs.
/// </summary>
public sealed class MetricsTests(ITestOutputHelper output)
{
    const string Online = "sum(resticmanager_hosts{status=\"online\"})";
    const string Failed = "sum(resticmanager_jobs_finished_total{outcome=\"failed\"})";

    [Fact]
    public async Task Prometheus_scrapes_the_number_of_online_hosts_and_the_failed_job_count()
    {
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["Metrics:RefreshInterval"] = "00:00:01" });
        await using var prometheus = await PrometheusServer.StartAsync($"127.0.0.1:{server.HttpPort}");
        await output.DumpOnFailureAsync(async () =>
        {
            // Before anything happened: the series exist, at 0.
            await Eventually.HoldsAsync(async () => await prometheus.ScalarAsync(Online) == 0 && await prometheus.ScalarAsync(Failed) == 0,
                TimeSpan.FromSeconds(60), "Prometheus scrapes 0 online hosts and 0 failed jobs");

            await using var healthy = await JobTestHost.StartAsync(server, "metrics-healthy");
            // No restic on this host: its init and every backup fail, for real, in the agent.
            await using var broken = await JobTestHost.StartAsync(server, "metrics-broken", waitForInit: false, agentSettings: ["--Agent:ResticPath", "/nonexistent/restic"]);
            Assert.Equal("failed", (await broken.WaitForInitAsync()).GetProperty("status").GetString());
            for (var i = 0; i < 2; i++)
            {
                var backup = await server.WaitForJobAsync(await broken.BackupAsync(broken.Folder.Path), TimeSpan.FromMinutes(1));
                Assert.Equal("failed", backup.GetProperty("status").GetString());
            }

            var waited = await Eventually.HoldsAsync(async () => await prometheus.ScalarAsync(Online) == 2 && await prometheus.ScalarAsync(Failed) == 3,
                TimeSpan.FromSeconds(60), "Prometheus answers 2 online hosts and 3 failed jobs");
            output.WriteLine($"PromQL caught up {waited.TotalSeconds:F1}s after the last failure");
            Assert.Equal(2, await prometheus.ScalarAsync("resticmanager_jobs_finished_total{kind=\"backup\",outcome=\"failed\"}"));
            Assert.Equal(1, await prometheus.ScalarAsync("resticmanager_jobs_finished_total{kind=\"init\",outcome=\"failed\"}"));
            Assert.Equal(1, await prometheus.ScalarAsync("resticmanager_jobs_finished_total{kind=\"init\",outcome=\"succeeded\"}"));
            var connections = await prometheus.ScalarAsync("resticmanager_mqtt_connections");
            Assert.True(connections >= 2, $"{connections} MQTT connections");
            Assert.True(await prometheus.ScalarAsync("sum(resticmanager_mqtt_messages_received_total{type=\"job.finished\"})") >= 4);

            // A host gone: Prometheus follows it offline.
            await broken.Agent.KillAsync();
            await Eventually.HoldsAsync(async () => await prometheus.ScalarAsync(Online) == 1 && await prometheus.ScalarAsync("resticmanager_mqtt_connections") == connections - 1,
                TimeSpan.FromSeconds(60), "Prometheus answers 1 online host and one MQTT connection less");
        }, () => server.Process, () => prometheus.Process);
    }

    [Fact]
    public async Task With_a_bearer_token_only_the_prometheus_that_sends_it_scrapes()
    {
        const string token = "scrape-token-4f1c9e";
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["Metrics:BearerToken"] = token });
        await using var withToken = await PrometheusServer.StartAsync($"127.0.0.1:{server.HttpPort}", bearerToken: token);
        await using var without = await PrometheusServer.StartAsync($"127.0.0.1:{server.HttpPort}");
        await Eventually.HoldsAsync(async () => await withToken.ScalarAsync("up") == 1 && await without.ScalarAsync("up") == 0,
            TimeSpan.FromSeconds(60), "the scrape with the token succeeds, the one without fails");
        Assert.Equal(0, await withToken.ScalarAsync(Failed));
        Assert.Empty(await without.QueryAsync("resticmanager_jobs_finished_total"));
    }
}
