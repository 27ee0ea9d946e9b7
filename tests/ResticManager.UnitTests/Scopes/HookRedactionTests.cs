using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ResticManager.ServiceDefaults;

namespace ResticManager.UnitTests;

/// <summary>
/// Hook commands may hold secrets and need the admin role on the host to set: only that admin sees
/// them, on source groups and on the jobs they start; anyone else who may read the host sees that
/// there are hooks. The same rule for a repository URL's query, which may carry a backend token.
/// </summary>
public sealed class HookRedactionTests
{
    const string Secret = "PGPASSWORD=s3cret pg_dump";

    [Fact]
    public async Task Viewers_and_operators_see_that_a_group_has_hooks_but_not_their_commands()
    {
        await using var server = await InProcessServer.StartAsync();
        var host = await ScopedFleet.EnrollAsync(server, "db-host");
        await ScopedFleet.LabelAsync(server, host, "team=db");

        using var created = await server.Api.PostAsJsonAsync($"/api/hosts/{host}/source-groups", new
        {
            name = "db", includes = new[] { "/var/lib/db" },
            hooks = new { pre = new { command = Secret, timeoutSeconds = 60, onError = "fail" } },
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var groupId = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        using var run = await server.Api.PostAsync($"/api/hosts/{host}/source-groups/{groupId}/run", null);
        Assert.True(run.StatusCode == HttpStatusCode.Accepted, await run.Content.ReadAsStringAsync());
        var jobId = JsonDocument.Parse(await run.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;

        string[] reads = [$"/api/hosts/{host}/source-groups/{groupId}", $"/api/hosts/{host}/source-groups", $"/api/jobs/{jobId}", "/api/jobs"];
        foreach (var (role, scope, seesCommands) in new[]
        {
            (Roles.Viewer, Grant.AllHosts, false), (Roles.Operator, Grant.AllHosts, false), (Roles.Operator, "label:team=db", false),
            (Roles.Admin, "label:team=db", true), (Roles.Admin, Grant.AllHosts, true),
        })
        {
            using var client = await ScopedFleet.ClientAsync(server, role, scope);
            foreach (var path in reads)
            {
                using var response = await client.GetAsync(path);
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{role}@{scope} GET {path}: {(int)response.StatusCode} {text}");
                Assert.True(text.Contains(Secret, StringComparison.Ordinal) == seesCommands, $"{role}@{scope} GET {path} shows the command: {!seesCommands}");
                Assert.Contains("\"hookPresence\":{\"hasPre\":true,\"hasPost\":false}", text, StringComparison.Ordinal);
            }
        }

        // An operator may not set hooks, on a host it operates: they run commands as root there.
        using var teamOperator = await ScopedFleet.ClientAsync(server, Roles.Operator, "label:team=db");
        using var refused = await teamOperator.PostAsJsonAsync($"/api/hosts/{host}/source-groups", new
        {
            name = "other", includes = new[] { "/etc" }, hooks = new { post = new { command = "true", timeoutSeconds = 5, onError = "ignore" } },
        });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task A_repository_url_query_is_shown_only_to_who_may_change_the_binding()
    {
        await using var server = await InProcessServer.StartAsync();
        var host = await ScopedFleet.EnrollAsync(server, "token-host");
        const string token = "sas-token-0123456789";
        using var bound = await server.Api.PutAsJsonAsync($"/api/hosts/{host}/repository", new { url = $"rest:https://rest.example:8000/h1?token={token}", password = "repo-password" });
        Assert.Equal(HttpStatusCode.OK, bound.StatusCode);

        foreach (var (role, seesQuery) in new[] { (Roles.Viewer, false), (Roles.Operator, true), (Roles.Admin, true) })
        {
            using var client = await ScopedFleet.ClientAsync(server, role, Grant.AllHosts);
            using var response = await client.GetAsync($"/api/hosts/{host}/repository");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var url = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("url").GetString()!;
            Assert.StartsWith("rest:https://rest.example:8000/h1?", url, StringComparison.Ordinal);
            Assert.True(url.Contains(token, StringComparison.Ordinal) == seesQuery, $"{role} sees {url}");
        }
    }
}
