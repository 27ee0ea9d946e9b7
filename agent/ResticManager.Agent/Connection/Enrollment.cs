using System.Net.Http.Json;
using System.Text.Json;
using ResticManager.Agent.Json;
using ResticManager.Agent.Storage;

namespace ResticManager.Agent.Connection;

/// <summary>Exchanges a one-time token for the agent's identity and MQTT credentials, and stores them.</summary>
public static class Enrollment
{
    public static async Task<AgentConfig> EnrollAsync(
        string serverUrl, string token, string hostname, string? mqttUrlOverride, AgentFiles files, TimeProvider time, CancellationToken ct)
    {
        if (files.IsEnrolled)
        {
            throw new AgentSetupException($"{files.Directory} already holds an enrolled agent; use another --config directory or remove it first");
        }

        using var http = new HttpClient { BaseAddress = new Uri(serverUrl.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.PostAsJsonAsync("api/agents/enroll", new EnrollmentRequest(token, hostname, SystemInfo.Os, SystemInfo.Arch), AgentJson.TypeInfo<EnrollmentRequest>(), ct);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            throw new AgentSetupException($"enrollment refused ({(int)response.StatusCode}): {Detail(body)}");
        }

        var enrolled = await response.Content.ReadFromJsonAsync(AgentJson.TypeInfo<EnrollmentResponse>(), ct)
            ?? throw new AgentSetupException("enrollment answered with an empty body");
        var config = new AgentConfig(serverUrl, enrolled.AgentId, mqttUrlOverride ?? enrolled.MqttUrl, enrolled.MqttUsername, hostname, time.GetUtcNow());
        files.SaveSecret(enrolled.MqttPassword);
        files.SaveConfig(config);
        return config;
    }

    static string Detail(string problemJson)
    {
        try
        {
            using var doc = JsonDocument.Parse(problemJson);
            return doc.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() ?? problemJson : problemJson;
        }
        catch (JsonException)
        {
            return problemJson.Length > 200 ? problemJson[..200] : problemJson;
        }
    }
}
