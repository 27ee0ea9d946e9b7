using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ResticManager.ServiceDefaults;

namespace ResticManager.UnitTests;

/// <summary>
/// A restore of host A's snapshot on host B lends A's repository access to B: it needs admin on A (the
/// path's host) and operator on B (the body's target.hostId); a B outside the caller's grants is
/// answered exactly like a B nobody enrolled.
/// </summary>
public sealed class CrossHostRestoreScopeTests
{
    static object CrossHost(string targetHostId) => new
    {
        snapshotId = RestoreRequestTests.SnapshotId[..8], paths = new[] { "/srv/data" }, target = new { kind = "host", hostId = targetHostId, path = "/restore" }, overwrite = "never",
    };

    static async Task<(HttpStatusCode Status, string Body)> RestoreAsync(HttpClient client, string source, string target)
    {
        using var response = await client.PostAsJsonAsync($"/api/hosts/{source}/restores", CrossHost(target));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_cross_host_restore_needs_admin_on_the_source_and_operator_on_a_target_in_scope()
    {
        await using var server = await InProcessServer.StartAsync();
        var source = await RestoreRequestTests.HostWithSnapshotAsync(server, "db-source", "/repositories/db", "repo-password");
        var dbTarget = await ScopedFleet.EnrollAsync(server, "db-target");
        var webTarget = await ScopedFleet.EnrollAsync(server, "web-target");
        await ScopedFleet.LabelAsync(server, source, "team=db");
        await ScopedFleet.LabelAsync(server, dbTarget, "team=db");
        await ScopedFleet.LabelAsync(server, webTarget, "team=web");

        using var teamOperator = await ScopedFleet.ClientAsync(server, Roles.Operator, "label:team=db");
        Assert.Equal(HttpStatusCode.Forbidden, (await RestoreAsync(teamOperator, source, dbTarget)).Status);

        using var teamAdmin = await ScopedFleet.ClientAsync(server, Roles.Admin, "label:team=db");
        Assert.Equal(HttpStatusCode.Accepted, (await RestoreAsync(teamAdmin, source, dbTarget)).Status);

        // The other team's host is as unknown to this admin as one nobody enrolled.
        var (hiddenStatus, hidden) = await RestoreAsync(teamAdmin, source, webTarget);
        var (unknownStatus, unknown) = await RestoreAsync(server.Api, source, "01nobodyenrolledthishost0");
        Assert.Equal(HttpStatusCode.BadRequest, hiddenStatus);
        Assert.Equal((unknownStatus, Errors(unknown).Replace("01nobodyenrolledthishost0", "{host}", StringComparison.Ordinal)),
            (hiddenStatus, Errors(hidden).Replace(webTarget, "{host}", StringComparison.Ordinal)));

        using var adminAndWebOperator = await ScopedFleet.ClientAsync(server, (Roles.Admin, "label:team=db"), (Roles.Operator, "label:team=web"));
        Assert.Equal(HttpStatusCode.Accepted, (await RestoreAsync(adminAndWebOperator, source, webTarget)).Status);

        using var adminAndWebViewer = await ScopedFleet.ClientAsync(server, (Roles.Admin, "label:team=db"), (Roles.Viewer, "label:team=web"));
        Assert.Equal(HttpStatusCode.Forbidden, (await RestoreAsync(adminAndWebViewer, source, webTarget)).Status);
    }

    static string Errors(string problem) => JsonDocument.Parse(problem).RootElement.GetProperty("errors").GetRawText();
}
