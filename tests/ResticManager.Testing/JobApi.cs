using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ResticManager.Testing;

/// <summary>The REST calls the job tests make, with the assertions every caller would repeat.</summary>
public static class JobApi
{
    static readonly string[] FinalStates = ["succeeded", "warning", "failed", "cancelled", "missed"];

    public static async Task BindRepositoryAsync(this ServerProcess server, string hostId, string url, string password, int? uploadLimitKBps = null)
    {
        using var response = await server.Api.PutAsJsonAsync($"/api/hosts/{hostId}/repository", new { url, password, uploadLimitKBps });
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"binding failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    public static async Task<string> CreateJobAsync(this ServerProcess server, string hostId, object body)
    {
        using var response = await server.Api.PostAsJsonAsync($"/api/hosts/{hostId}/jobs", body);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"job refused: {(int)response.StatusCode} {text}");
        }

        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.GetProperty("id").GetString()!;
    }

    public static async Task<JsonElement> GetJobAsync(this ServerProcess server, string jobId)
    {
        using var response = await server.Api.GetAsync($"/api/jobs/{jobId}");
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    public static bool IsFinal(JsonElement job) => FinalStates.Contains(job.GetProperty("status").GetString());

    /// <summary>Waits until the job has ended (not counting a provisional <c>lost</c>) and returns it.</summary>
    public static async Task<JsonElement> WaitForJobAsync(this ServerProcess server, string jobId, TimeSpan timeout)
    {
        JsonElement job = default;
        await Eventually.HoldsAsync(async () => IsFinal(job = await server.GetJobAsync(jobId)), timeout, $"job {jobId} ends", TimeSpan.FromMilliseconds(250));
        return job;
    }

    /// <summary>The init job the server queues by itself when a repository is bound, once it has ended.</summary>
    public static async Task<JsonElement> WaitForInitJobAsync(this ServerProcess server, string hostId, TimeSpan timeout)
    {
        string? initId = null;
        await Eventually.HoldsAsync(async () =>
        {
            using var doc = JsonDocument.Parse(await server.Api.GetStringAsync($"/api/jobs?hostId={hostId}"));
            initId = doc.RootElement.GetProperty("items").EnumerateArray().FirstOrDefault(j => j.GetProperty("kind").GetString() == "init") is { ValueKind: JsonValueKind.Object } job
                ? job.GetProperty("id").GetString()
                : null;
            return initId is not null;
        }, TimeSpan.FromSeconds(30), "the server queues an init job for the new repository");
        return await server.WaitForJobAsync(initId!, timeout);
    }

    public static async Task<JsonElement> WaitForJobStatusAsync(this ServerProcess server, string jobId, string status, TimeSpan timeout)
    {
        JsonElement job = default;
        await Eventually.HoldsAsync(async () => (job = await server.GetJobAsync(jobId)).GetProperty("status").GetString() == status,
            timeout, $"job {jobId} becomes {status}", TimeSpan.FromMilliseconds(200));
        return job;
    }

    public static async Task<IReadOnlyList<JsonElement>> GetLogAsync(this ServerProcess server, string jobId)
    {
        var lines = new List<JsonElement>();
        long after = 0;
        while (true)
        {
            using var doc = JsonDocument.Parse(await server.Api.GetStringAsync($"/api/jobs/{jobId}/log?afterSeq={after}&limit=500"));
            var items = doc.RootElement.GetProperty("items").EnumerateArray().Select(e => e.Clone()).ToList();
            lines.AddRange(items);
            if (doc.RootElement.GetProperty("nextCursor").GetString() is null)
            {
                return lines;
            }

            after = items[^1].GetProperty("n").GetInt64();
        }
    }

    /// <summary>
    /// The log of a job that has ended, once every line it counts is stored. An agent replays its events
    /// at once after a reconnect and the jobs service applies them concurrently, so the final state can be
    /// stored a moment before the last log lines: never instead of them.
    /// </summary>
    public static async Task<IReadOnlyList<JsonElement>> GetCompleteLogAsync(this ServerProcess server, JsonElement finishedJob)
    {
        var jobId = finishedJob.GetProperty("id").GetString()!;
        var expected = finishedJob.GetProperty("logLines").GetInt64();
        IReadOnlyList<JsonElement> log = [];
        await Eventually.HoldsAsync(async () => (log = await server.GetLogAsync(jobId)).Count >= expected, TimeSpan.FromSeconds(30), $"the {expected} log lines of job {jobId} are stored");
        return log;
    }

    public static async Task<JsonElement> GetSnapshotsAsync(this ServerProcess server, string hostId)
    {
        using var response = await server.Api.GetAsync($"/api/hosts/{hostId}/snapshots");
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    public static async Task<IReadOnlyList<string>> SnapshotShortIdsAsync(this ServerProcess server, string hostId) =>
        (await server.GetSnapshotsAsync(hostId)).GetProperty("snapshots").EnumerateArray().Select(s => s.GetProperty("shortId").GetString()!).Order().ToList();
}
