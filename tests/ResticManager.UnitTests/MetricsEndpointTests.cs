using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using ResticManager.Broker;
using ResticManager.Contracts;
using ResticManager.Jobs;
using ResticManager.Protocol;

namespace ResticManager.UnitTests;

/// <summary><c>/metrics</c> of the embedded server: Prometheus text with every ResticManager metric, and the optional bearer token.</summary>
[Collection(MetricsCollection.Name)]
public sealed partial class MetricsEndpointTests
{
    /// <summary>Every metric the server exports under its own name, as Prometheus sees it (the dashboard test checks against it).</summary>
    public static readonly string[] Names =
    [
        "resticmanager_hosts",
        "resticmanager_jobs_finished_total",
        "resticmanager_jobs_duration_seconds",
        "resticmanager_backup_data_added_bytes",
        "resticmanager_repository_size_bytes",
        "resticmanager_groups_overdue",
        "resticmanager_mqtt_connections",
        "resticmanager_mqtt_messages_received_total",
        "resticmanager_mqtt_messages_sent_total",
        "resticmanager_bus_consume_lag_seconds",
        "resticmanager_outbox_pending",
    ];

    [Fact]
    public async Task Metrics_answers_prometheus_text_with_every_resticmanager_metric_anonymously()
    {
        using var ui = new FakeWebUi();
        await using var server = await InProcessServer.StartAsync(null, "--Metrics:RefreshInterval", "00:00:00.200", "--WebUi:Path", ui.Path);
        var text = await ScrapeWithEventsAsync(server);
        Assert.Empty(Names.Except(MetricNames(text)));
        // Every status and every kind × outcome is there from the start, at 0: increase() sees the first failure.
        Assert.Contains("resticmanager_hosts{otel_scope_name=\"ResticManager.Inventory\",status=\"online\"} 0", text);
        Assert.Contains("resticmanager_hosts{otel_scope_name=\"ResticManager.Inventory\",status=\"pending\"} 1", text);
        Assert.Contains("resticmanager_jobs_finished_total{otel_scope_name=\"ResticManager.Jobs\",kind=\"backup\",outcome=\"failed\"} 1", text);
        Assert.Contains("resticmanager_jobs_finished_total{otel_scope_name=\"ResticManager.Jobs\",kind=\"check\",outcome=\"lost\"} 0", text);
        Assert.Contains("resticmanager_jobs_duration_seconds_sum{otel_scope_name=\"ResticManager.Jobs\",kind=\"backup\"} 42", text);
        Assert.Contains("resticmanager_backup_data_added_bytes_sum{otel_scope_name=\"ResticManager.Jobs\"} 123456", text);
        Assert.Contains("resticmanager_repository_size_bytes{otel_scope_name=\"ResticManager.Snapshots\",host_id=\"h-size\"} 5000000", text);
        Assert.Contains("resticmanager_outbox_pending{otel_scope_name=\"ResticManager.Outbox\",service=\"jobs\"} 0", text);
        Assert.DoesNotContain("job_id", text);
        // The framework's own metrics stay exported.
        Assert.Contains("http_server_request_duration_seconds", text);
        // A browser asking for /metrics gets the metrics, not the web UI's page.
        using var browser = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        browser.Headers.Accept.ParseAdd("text/html");
        var answer = await (await server.Anonymous.SendAsync(browser)).Content.ReadAsStringAsync();
        Assert.DoesNotContain(FakeWebUi.IndexMarker, answer);
        Assert.Contains("resticmanager_hosts", answer);
    }

    [Fact]
    public async Task With_a_bearer_token_metrics_refuses_a_scrape_without_it()
    {
        const string token = "metrics-token-0123456789";
        await using var server = await InProcessServer.StartAsync(null, "--Metrics:BearerToken", token);
        using (var none = await server.Anonymous.GetAsync("/metrics"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
            Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);
            Assert.DoesNotContain("resticmanager_", await none.Content.ReadAsStringAsync());
        }

        foreach (var wrong in new[] { "Bearer wrong", "Bearer " + token + "x", "Basic " + token, token })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
            request.Headers.TryAddWithoutValidation("Authorization", wrong);
            using var refused = await server.Anonymous.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        // An operator's API token is not the metrics token either.
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Api.GetAsync("/metrics")).StatusCode);

        using var scrape = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        scrape.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var answer = await server.Anonymous.SendAsync(scrape);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("resticmanager_jobs_finished_total", await answer.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Scrapes once every metric has a value: the histograms and counters of events no unit test causes (a backup's
    /// end, agent traffic) are fed one event each through the server's own instruments.
    /// </summary>
    internal static async Task<string> ScrapeWithEventsAsync(InProcessServer server)
    {
        var now = DateTime.UtcNow;
        server.App.Services.GetRequiredService<JobMetrics>().Record(new Job
        {
            Id = "j1", HostId = "h1", Kind = JobKind.Backup, Status = JobStatus.Succeeded, RequestJson = "{}",
            StartedAt = now.AddSeconds(-42), FinishedAt = now, SummaryJson = """{"data_added": 123456}""",
        });
        server.App.Services.GetRequiredService<JobMetrics>().Record(new Job { Id = "j2", HostId = "h1", Kind = JobKind.Backup, Status = JobStatus.Failed, RequestJson = "{}" });
        server.App.Services.GetRequiredService<BrokerMetrics>().Received(MessageTypes.Heartbeat);
        server.App.Services.GetRequiredService<BrokerMetrics>().Sent(MessageTypes.RunJob);
        await server.EnrollHostAsync("metrics-host");
        using (var db = server.App.Services.CreateScope())
        {
            var snapshots = db.ServiceProvider.GetRequiredService<ResticManager.Snapshots.SnapshotsDbContext>();
            snapshots.Catalogs.Add(new ResticManager.Snapshots.HostCatalog { HostId = "h-size", TotalSizeBytes = 5_000_000 });
            await snapshots.SaveChangesAsync();
        }

        var text = "";
        var missing = "";
        try
        {
            await Eventually.HoldsAsync(async () =>
            {
                using var response = await server.Anonymous.GetAsync("/metrics");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.ToString());
                text = await response.Content.ReadAsStringAsync();
                var absent = Names.Except(MetricNames(text)).ToList();
                if (!text.Contains("status=\"pending\"} 1", StringComparison.Ordinal))
                {
                    absent.Add("resticmanager_hosts{status=\"pending\"} 1");
                }

                missing = string.Join(", ", absent);
                return absent.Count == 0;
            }, TimeSpan.FromSeconds(60), "every metric is exported");
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"still missing after 60 s: {missing}\n{text}");
        }

        return text;
    }

    /// <summary>The names of a Prometheus text exposition's samples, a histogram's series under its base name.</summary>
    internal static HashSet<string> MetricNames(string text) =>
        SampleName().Matches(text).Select(m => Regex.Replace(m.Groups[1].Value, "_(bucket|sum|count)$", "")).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]", RegexOptions.Multiline)]
    private static partial Regex SampleName();
}
