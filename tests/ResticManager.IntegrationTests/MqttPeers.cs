using System.Net.Http.Json;
using System.Text.Json;

namespace ResticManager.IntegrationTests;

/// <summary>Agent credentials obtained straight from the REST API, for peers that are not our agent.</summary>
public sealed record AgentCredentials(string AgentId, string Password)
{
    public static async Task<AgentCredentials> EnrollAsync(ServerProcess server, string hostname)
    {
        var token = await server.CreateEnrollmentTokenAsync();
        using var response = await server.Anonymous.PostAsJsonAsync("/api/agents/enroll", new { token, hostname, os = "linux", arch = "amd64" });
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return new AgentCredentials(body.RootElement.GetProperty("agentId").GetString()!, body.RootElement.GetProperty("mqttPassword").GetString()!);
    }

    public string Prefix => $"rm/v1/agents/{AgentId}/";
}

/// <summary>The Debian mosquitto clients: a foreign MQTT 5 peer that nobody here wrote.</summary>
public static class Mosquitto
{
    public static string[] ConnectArgs(int port, string clientId, string password, string protocolVersion = "1") =>
    [
        "-V", "mqttv5", "-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "-i", clientId, "-u", clientId, "-P", password, "-D", "connect", "user-property", "rm-protocol-version", protocolVersion, "-d",
    ];

    /// <summary>Publishes one QoS 1 message and returns the exit code and the debug output (with CONNACK/PUBACK reason codes).</summary>
    public static async Task<(int ExitCode, string Output)> PublishAsync(string[] connect, string topic, string? message = null, string? file = null)
    {
        string[] payload = file is null ? ["-m", message ?? "x"] : ["-f", file];
        await using var pub = ChildProcess.Start("mosquitto_pub", "mosquitto_pub", [.. connect, "-q", "1", "-t", topic, .. payload]);
        var code = await pub.WaitForExitAsync(TimeSpan.FromSeconds(30));
        return (code, pub.Output);
    }

    public static ChildProcess Subscribe(string[] connect, string topicFilter, int messages = 1, int timeoutSeconds = 20) =>
        ChildProcess.Start("mosquitto_sub", "mosquitto_sub", [.. connect, "-q", "1", "-t", topicFilter, "-C", messages.ToString(System.Globalization.CultureInfo.InvariantCulture), "-W", timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "-v"]);
}
