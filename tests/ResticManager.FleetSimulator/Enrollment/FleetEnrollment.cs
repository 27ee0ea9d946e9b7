using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace ResticManager.FleetSimulator.Enrollment;

/// <summary>
/// Enrolls a fleet the way agents enroll, over REST: a one-time token per agent (admin bearer), then the anonymous
/// enroll call with it. <see cref="FleetOptions.EnrollConcurrency"/> agents at a time through one shared client.
/// </summary>
internal static class FleetEnrollment
{
    const int Attempts = 5;

    public static async Task<IReadOnlyList<EnrolledAgent>> EnrollAsync(FleetOptions options, CancellationToken ct)
    {
        var concurrency = Math.Max(1, options.EnrollConcurrency);
        using var http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = concurrency,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        })
        {
            BaseAddress = options.ServerUrl,
            Timeout = TimeSpan.FromSeconds(60),
        };

        // A tag per run: the server refuses a hostname another enrolled host has, and fleets may share a server.
        var tag = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(2));
        var enrolled = new EnrolledAgent[options.Agents];
        await Parallel.ForEachAsync(Enumerable.Range(0, options.Agents), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct },
            async (index, token) =>
            {
                var hostname = $"{options.HostnamePrefix}{tag}-{index + 1:D5}";
                enrolled[index] = await EnrollOneAsync(http, options.AdminToken, hostname, token);
            });
        return enrolled;
    }

    static async Task<EnrolledAgent> EnrollOneAsync(HttpClient http, string adminToken, string hostname, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var tokenRequest = new HttpRequestMessage(HttpMethod.Post, "/api/enrollment-tokens") { Content = JsonContent.Create(new { }) };
                tokenRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
                using var tokenResponse = await http.SendAsync(tokenRequest, ct);
                await EnsureAsync(tokenResponse, "creating an enrollment token", ct);
                using var tokenBody = JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync(ct));
                var token = tokenBody.RootElement.GetProperty("token").GetString();

                using var enrollResponse = await http.PostAsJsonAsync("/api/agents/enroll", new { token, hostname, os = "linux", arch = "amd64" }, ct);
                await EnsureAsync(enrollResponse, $"enrolling {hostname}", ct);
                using var body = JsonDocument.Parse(await enrollResponse.Content.ReadAsStringAsync(ct));
                var root = body.RootElement;
                return new EnrolledAgent(root.GetProperty("agentId").GetString()!, hostname, root.GetProperty("mqttUrl").GetString()!,
                    root.GetProperty("mqttUsername").GetString()!, root.GetProperty("mqttPassword").GetString()!);
            }
            catch (Exception ex) when (attempt < Attempts && ex is HttpRequestException { StatusCode: null or >= HttpStatusCode.InternalServerError or HttpStatusCode.TooManyRequests }
                or TaskCanceledException { CancellationToken.IsCancellationRequested: false })
            {
                // A server busy enrolling thousands answers slowly or not at all for a moment: try again, spread out.
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt * (1 + Random.Shared.NextDouble())), ct);
            }
        }
    }

    static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            throw new HttpRequestException($"{what} failed: {(int)response.StatusCode} {text}", null, response.StatusCode);
        }
    }
}
