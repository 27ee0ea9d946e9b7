using System.Text.Json;
using System.Text.RegularExpressions;

namespace ResticManager.UnitTests;

/// <summary>
/// <c>docs/grafana/resticmanager-fleet.json</c> is valid dashboard JSON, chooses its Prometheus through a variable, has a
/// panel for every ResticManager metric, and names no metric the server does not export (a rename breaks this test, not
/// the operator's dashboard).
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed partial class GrafanaDashboardTests
{
    static readonly string DashboardPath = Path.Combine(RepoPaths.Root, "docs", "grafana", "resticmanager-fleet.json");

    [Fact]
    public async Task Every_metric_of_the_dashboard_is_one_the_server_exports_and_every_metric_has_a_panel()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(DashboardPath));
        var root = dashboard.RootElement;
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("uid").GetString()));
        var variable = Assert.Single(root.GetProperty("templating").GetProperty("list").EnumerateArray(), v => v.GetProperty("type").GetString() == "datasource");
        Assert.Equal("prometheus", variable.GetProperty("query").GetString());
        var reference = "${" + variable.GetProperty("name").GetString() + "}";

        var panels = root.GetProperty("panels").EnumerateArray().Where(p => p.GetProperty("type").GetString() != "row").ToList();
        Assert.Equal(panels.Count, panels.Select(p => p.GetProperty("id").GetInt32()).Distinct().Count());
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var panel in panels)
        {
            Assert.Equal(reference, panel.GetProperty("datasource").GetProperty("uid").GetString());
            var targets = panel.GetProperty("targets").EnumerateArray().ToList();
            Assert.NotEmpty(targets);
            foreach (var target in targets)
            {
                var expr = target.GetProperty("expr").GetString()!;
                var names = MetricName().Matches(expr).Select(m => Regex.Replace(m.Value, "_(bucket|sum|count)$", "")).ToList();
                Assert.True(names.Count > 0, $"{panel.GetProperty("title")}: {expr} names no ResticManager metric");
                used.UnionWith(names);
            }
        }

        await using var server = await InProcessServer.StartAsync(null, "--Metrics:RefreshInterval", "00:00:00.200");
        var exported = MetricsEndpointTests.MetricNames(await MetricsEndpointTests.ScrapeWithEventsAsync(server));
        Assert.Empty(used.Except(exported));
        Assert.Empty(MetricsEndpointTests.Names.Except(used));
    }

    [GeneratedRegex(@"resticmanager_[a-z_]+")]
    private static partial Regex MetricName();
}
