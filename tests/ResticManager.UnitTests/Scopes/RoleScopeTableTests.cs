using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using ResticManager.ServiceDefaults;

namespace ResticManager.UnitTests;

/// <summary>
/// Every operation of the OpenAPI document, called by each role at scope <c>*</c> and at scope
/// <c>label:team=db</c>, on a host in that scope and one outside it, and anonymously. "Allowed" means
/// the request got past authorization: neither 401 nor 403 nor the out-of-scope 404 (a 400 for the
/// minimal body, a 404 for a made-up child id or a 409 all count). An operation the table does not
/// name fails the test, so a new endpoint needs a rule.
/// </summary>
public sealed partial class RoleScopeTableTests
{
    /// <summary>Who may call an operation: any signed-in caller, the role on any host, the role at scope *, the role on the path's host, or on the job's host.</summary>
    public enum Reach { Anonymous, Anyone, Fleet, AllHosts, Host, Job }

    sealed record Rule(Reach Reach, string? Role = null);

    // One row per operation: "METHOD /path" -> who may call it. Keep each row one line (helpers add theirs at merge).
    static readonly Dictionary<string, Rule> Table = new(StringComparer.Ordinal)
    {
        ["POST /api/agents/enroll"] = new(Reach.Anonymous),
        ["GET /install/agent/builds"] = new(Reach.Anonymous),
        ["GET /install/agent/{platform}"] = new(Reach.Anonymous),
        ["GET /install/agent.sh"] = new(Reach.Anonymous),
        ["GET /install/agent.ps1"] = new(Reach.Anonymous),
        ["POST /api/enrollment-tokens"] = new(Reach.AllHosts, Roles.Operator),
        ["GET /api/me"] = new(Reach.Anyone),
        ["POST /api/api-tokens"] = new(Reach.AllHosts, Roles.Admin),
        ["GET /api/api-tokens"] = new(Reach.AllHosts, Roles.Admin),
        ["DELETE /api/api-tokens/{id}"] = new(Reach.AllHosts, Roles.Admin),
        ["POST /api/session"] = new(Reach.Anonymous),
        ["DELETE /api/session"] = new(Reach.Anonymous),
        ["GET /api/session/providers"] = new(Reach.Anonymous),
        ["GET /api/session/oidc"] = new(Reach.Anonymous),
        ["PUT /api/me/password"] = new(Reach.Anyone),
        ["POST /api/users"] = new(Reach.AllHosts, Roles.Admin),
        ["GET /api/users"] = new(Reach.AllHosts, Roles.Admin),
        ["GET /api/users/{userId}"] = new(Reach.AllHosts, Roles.Admin),
        ["PUT /api/users/{userId}"] = new(Reach.AllHosts, Roles.Admin),
        ["DELETE /api/users/{userId}"] = new(Reach.AllHosts, Roles.Admin),
        ["POST /api/users/{userId}/password"] = new(Reach.AllHosts, Roles.Admin),
        ["GET /api/audit"] = new(Reach.Fleet, Roles.Viewer),
        ["GET /api/hosts"] = new(Reach.Fleet, Roles.Viewer),
        ["GET /api/hosts/{hostId}"] = new(Reach.Host, Roles.Viewer),
        ["GET /api/hosts/summary"] = new(Reach.Fleet, Roles.Viewer),
        ["GET /api/jobs/summary"] = new(Reach.Fleet, Roles.Viewer),
        ["GET /api/jobs/activity"] = new(Reach.Fleet, Roles.Viewer),
        ["GET /api/overdue/summary"] = new(Reach.Fleet, Roles.Viewer),
        ["GET /api/repository-stats/summary"] = new(Reach.Fleet, Roles.Viewer),
        ["DELETE /api/hosts/{hostId}"] = new(Reach.Host, Roles.Operator),
        ["PUT /api/hosts/{hostId}/labels"] = new(Reach.AllHosts, Roles.Admin),
        ["GET /api/hosts/{hostId}/repository"] = new(Reach.Host, Roles.Viewer),
        ["PUT /api/hosts/{hostId}/repository"] = new(Reach.Host, Roles.Operator),
        ["DELETE /api/hosts/{hostId}/repository"] = new(Reach.Host, Roles.Operator),
        ["GET /api/hosts/{hostId}/repository/admin-credentials"] = new(Reach.Host, Roles.Admin),
        ["PUT /api/hosts/{hostId}/repository/admin-credentials"] = new(Reach.Host, Roles.Admin),
        ["DELETE /api/hosts/{hostId}/repository/admin-credentials"] = new(Reach.Host, Roles.Admin),
        ["GET /api/hosts/{hostId}/repository/stats"] = new(Reach.Host, Roles.Viewer),
        ["POST /api/hosts/{hostId}/jobs"] = new(Reach.Host, Roles.Operator),
        ["GET /api/jobs"] = new(Reach.Fleet, Roles.Viewer),
        ["GET /api/jobs/events"] = new(Reach.Fleet, Roles.Viewer),
        ["GET /api/events"] = new(Reach.Fleet, Roles.Viewer),
        ["GET /api/jobs/{jobId}"] = new(Reach.Job, Roles.Viewer),
        ["GET /api/jobs/{jobId}/log"] = new(Reach.Job, Roles.Viewer),
        ["GET /api/jobs/{jobId}/events"] = new(Reach.Job, Roles.Viewer),
        ["POST /api/jobs/{jobId}/cancel"] = new(Reach.Job, Roles.Operator),
        ["GET /api/hosts/{hostId}/snapshots"] = new(Reach.Host, Roles.Viewer),
        ["GET /api/hosts/{hostId}/snapshots/{snapshotId}/tree"] = new(Reach.Host, Roles.Viewer),
        ["GET /api/hosts/{hostId}/snapshots/{snapshotId}/diff/{otherSnapshotId}"] = new(Reach.Host, Roles.Viewer),
        ["GET /api/hosts/{hostId}/snapshots/{snapshotId}/download"] = new(Reach.Host, Roles.Operator),
        ["GET /api/hosts/{hostId}/files"] = new(Reach.Host, Roles.Viewer),
        ["POST /api/hosts/{hostId}/restores"] = new(Reach.Host, Roles.Operator),
        ["GET /api/hosts/{hostId}/source-groups"] = new(Reach.Host, Roles.Viewer),
        ["POST /api/hosts/{hostId}/source-groups"] = new(Reach.Host, Roles.Operator),
        ["GET /api/hosts/{hostId}/source-groups/{groupId}"] = new(Reach.Host, Roles.Viewer),
        ["PUT /api/hosts/{hostId}/source-groups/{groupId}"] = new(Reach.Host, Roles.Operator),
        ["DELETE /api/hosts/{hostId}/source-groups/{groupId}"] = new(Reach.Host, Roles.Operator),
        ["POST /api/hosts/{hostId}/source-groups/{groupId}/run"] = new(Reach.Host, Roles.Operator),
        ["GET /api/overdue"] = new(Reach.Fleet, Roles.Viewer),
        ["GET /api/hosts/{hostId}/schedules"] = new(Reach.Host, Roles.Viewer),
        ["POST /api/hosts/{hostId}/schedules"] = new(Reach.Host, Roles.Operator),
        ["GET /api/hosts/{hostId}/schedules/{scheduleId}"] = new(Reach.Host, Roles.Viewer),
        ["PUT /api/hosts/{hostId}/schedules/{scheduleId}"] = new(Reach.Host, Roles.Operator),
        ["DELETE /api/hosts/{hostId}/schedules/{scheduleId}"] = new(Reach.Host, Roles.Operator),
        ["GET /api/hosts/{hostId}/schedules/{scheduleId}/runs"] = new(Reach.Host, Roles.Viewer),
        ["GET /api/hosts/{hostId}/maintenance"] = new(Reach.Host, Roles.Viewer),
        ["PUT /api/hosts/{hostId}/maintenance"] = new(Reach.Host, Roles.Operator),
        ["POST /api/hosts/{hostId}/maintenance/{task}/run"] = new(Reach.Host, Roles.Operator),
        ["GET /api/notification-channels"] = new(Reach.AllHosts, Roles.Admin),
        ["POST /api/notification-channels"] = new(Reach.AllHosts, Roles.Admin),
        ["GET /api/notification-channels/{channelId}"] = new(Reach.AllHosts, Roles.Admin),
        ["PUT /api/notification-channels/{channelId}"] = new(Reach.AllHosts, Roles.Admin),
        ["DELETE /api/notification-channels/{channelId}"] = new(Reach.AllHosts, Roles.Admin),
        ["POST /api/notification-channels/{channelId}/test"] = new(Reach.AllHosts, Roles.Admin),
        ["GET /api/notification-rules"] = new(Reach.AllHosts, Roles.Admin),
        ["POST /api/notification-rules"] = new(Reach.AllHosts, Roles.Admin),
        ["GET /api/notification-rules/{ruleId}"] = new(Reach.AllHosts, Roles.Admin),
        ["PUT /api/notification-rules/{ruleId}"] = new(Reach.AllHosts, Roles.Admin),
        ["DELETE /api/notification-rules/{ruleId}"] = new(Reach.AllHosts, Roles.Admin),
        ["GET /api/notifications"] = new(Reach.AllHosts, Roles.Operator),
    };

    const string TeamDb = "label:team=db";

    [Fact]
    public async Task Every_operation_answers_exactly_the_roles_and_scopes_its_rule_allows()
    {
        await using var server = await InProcessServer.StartAsync(null, "--AgentQueries:Timeout", "00:00:02");
        var inScope = await ScopedFleet.EnrollAsync(server, "db-host");
        var outOfScope = await ScopedFleet.EnrollAsync(server, "web-host");
        await ScopedFleet.LabelAsync(server, inScope, "team=db", "site=paris");
        await ScopedFleet.LabelAsync(server, outOfScope, "team=web", "site=paris");
        var jobOf = new Dictionary<string, string>
        {
            [inScope] = await ScopedFleet.QueueJobAsync(server, inScope),
            [outOfScope] = await ScopedFleet.QueueJobAsync(server, outOfScope),
        };
        var unknownHostAnswer = await ProblemAsync(server.Api, HttpMethod.Get, "/api/hosts/01nobodyenrolledthishost0");

        var operations = await OperationsAsync(server);
        var missing = operations.Where(o => !Table.ContainsKey(o)).ToList();
        Assert.True(missing.Count == 0, "operations without a rule in the table: " + string.Join(", ", missing));
        Assert.True(operations.Count >= 40, $"only {operations.Count} operations in the OpenAPI document");

        // Revoking a host is last: what follows would only answer 409 for it, which still counts as allowed.
        operations = [.. operations.OrderBy(o => o == "DELETE /api/hosts/{hostId}")];
        var failures = new List<string>();
        var checkedCount = 0;
        foreach (var role in new[] { Roles.Viewer, Roles.Operator, Roles.Admin })
        {
            foreach (var scope in new[] { Grant.AllHosts, TeamDb })
            {
                using var client = await ScopedFleet.ClientAsync(server, role, scope);
                foreach (var operation in operations)
                {
                    var rule = Table[operation];
                    if (rule.Reach == Reach.Anonymous)
                    {
                        continue;
                    }

                    foreach (var host in new[] { inScope, outOfScope })
                    {
                        var hostCovered = scope == Grant.AllHosts || host == inScope;
                        var expected = Expect(rule, role, scope, hostCovered);
                        var (status, problem) = await CallAsync(client, operation, host, jobOf[host]);
                        var outcome = Classify(status, problem, host, jobOf[host]);
                        checkedCount++;
                        if (outcome != expected)
                        {
                            failures.Add($"{role}@{scope} {operation} on the {(host == inScope ? "in-scope" : "out-of-scope")} host: expected {expected}, got {outcome} ({(int)status} {DetailOf(problem)})");
                        }
                        else if (outcome == Outcome.Hidden && rule.Reach == Reach.Host)
                        {
                            // Out of scope says exactly what an unknown host says.
                            Assert.Equal(unknownHostAnswer.Normalized("01nobodyenrolledthishost0"), new Answer(status, problem!.Value).Normalized(host));
                        }

                        if (rule.Reach is Reach.Fleet or Reach.AllHosts or Reach.Anyone)
                        {
                            break; // not about a host: once is enough
                        }
                    }
                }
            }
        }

        foreach (var operation in operations.Where(o => Table[o].Reach != Reach.Anonymous))
        {
            var (status, _) = await CallAsync(server.Anonymous, operation, inScope, jobOf[inScope]);
            if (status != HttpStatusCode.Unauthorized)
            {
                failures.Add($"anonymous {operation}: expected 401, got {(int)status}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {checkedCount} calls answered otherwise:\n" + string.Join("\n", failures));
    }

    public enum Outcome { Allowed, Forbidden, Hidden, Unauthorized }

    static Outcome Expect(Rule rule, string role, string scope, bool hostCovered)
    {
        // A role held nowhere is refused by the endpoint's policy before any host is looked at: 403 whatever the host.
        if (rule.Reach != Reach.Anyone && !Roles.Includes(role, rule.Role!))
        {
            return Outcome.Forbidden;
        }

        return rule.Reach switch
        {
            Reach.AllHosts => scope == Grant.AllHosts ? Outcome.Allowed : Outcome.Forbidden,
            Reach.Host or Reach.Job => hostCovered ? Outcome.Allowed : Outcome.Hidden,
            _ => Outcome.Allowed,
        };
    }

    static Outcome Classify(HttpStatusCode status, JsonElement? problem, string hostId, string jobId)
    {
        var detail = DetailOf(problem);
        return status switch
        {
            HttpStatusCode.Unauthorized => Outcome.Unauthorized,
            HttpStatusCode.Forbidden => Outcome.Forbidden,
            HttpStatusCode.NotFound when detail == $"No host '{hostId}'." || detail == $"No job '{jobId}'." => Outcome.Hidden,
            _ when (int)status >= 500 => throw new InvalidOperationException($"{(int)status}: {detail}"),
            _ => Outcome.Allowed,
        };
    }

    static string? DetailOf(JsonElement? problem) => problem is { } p && p.TryGetProperty("detail", out var d) ? d.GetString() : null;

    static async Task<(HttpStatusCode Status, JsonElement? Problem)> CallAsync(HttpClient client, string operation, string hostId, string jobId)
    {
        var method = operation[..operation.IndexOf(' ', StringComparison.Ordinal)];
        var path = PathParameter().Replace(operation[(method.Length + 1)..], m => m.Groups[1].Value switch
        {
            "hostId" => hostId,
            "jobId" => jobId,
            "task" => "check",
            var other => $"01nosuch{other.ToLowerInvariant()}"[..Math.Min(26, 8 + other.Length)],
        });
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        }

        // Streams answer their headers and then stay open: the status is all this needs.
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return (response.StatusCode, null);
        }

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, body.RootElement.Clone());
    }

    static async Task<Answer> ProblemAsync(HttpClient client, HttpMethod method, string path)
    {
        using var response = await client.SendAsync(new HttpRequestMessage(method, path));
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return new Answer(response.StatusCode, body.RootElement.Clone());
    }

    /// <summary>A problem answer with the host id and the per-request trace id taken out, to compare two answers.</summary>
    sealed record Answer(HttpStatusCode Status, JsonElement Problem)
    {
        public string Normalized(string hostId) =>
            $"{(int)Status} " + string.Join(";", Problem.EnumerateObject().Where(p => p.Name != "traceId").Select(p => $"{p.Name}={p.Value.ToString().Replace(hostId, "{host}", StringComparison.Ordinal)}"));
    }

    static async Task<List<string>> OperationsAsync(InProcessServer server)
    {
        using var document = JsonDocument.Parse(await server.Anonymous.GetStringAsync("/openapi/v1.json"));
        return
        [
            .. document.RootElement.GetProperty("paths").EnumerateObject()
                .SelectMany(path => path.Value.EnumerateObject()
                    .Where(op => op.Name is "get" or "put" or "post" or "delete" or "patch")
                    .Select(op => $"{op.Name.ToUpperInvariant()} {path.Name}")),
        ];
    }

    [GeneratedRegex(@"\{([^}]+)\}")]
    private static partial Regex PathParameter();
}
