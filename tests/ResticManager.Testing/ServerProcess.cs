using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace ResticManager.Testing;

/// <summary>
/// The embedded server (<c>ResticManager.Server</c>) as a real OS process on free ports with its own
/// data folder. It can be killed and started again on the same ports and data.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    readonly TempDirectory data;
    readonly bool ownsData;
    readonly IDictionary<string, string> settings;
    readonly string project;

    ServerProcess(TempDirectory data, bool ownsData, IDictionary<string, string> settings, string project)
    {
        this.data = data;
        this.ownsData = ownsData;
        this.settings = settings;
        this.project = project;
        HttpPort = FreePort.Next();
        MqttPort = settings.TryGetValue("Mqtt:Port", out var mqtt) ? int.Parse(mqtt, System.Globalization.CultureInfo.InvariantCulture) : FreePort.Next();
        BaseUrl = $"http://127.0.0.1:{HttpPort}";
        Api = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        Anonymous = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
    }

    public string AdminToken { get; } = "rmt_test_" + Guid.NewGuid().ToString("N");

    public int HttpPort { get; }

    public int MqttPort { get; }

    public string BaseUrl { get; }

    public string MqttUrl => $"mqtt://127.0.0.1:{MqttPort}";

    public string DataPath => data.Path;

    /// <summary>Authenticated as the bootstrap admin.</summary>
    public HttpClient Api { get; }

    public HttpClient Anonymous { get; }

    public ChildProcess? Process { get; private set; }

    /// <param name="project">The host to run: the embedded server by default, or one service of the distributed mode.</param>
    public static async Task<ServerProcess> StartAsync(IDictionary<string, string>? settings = null, TempDirectory? data = null, string project = "ResticManager.Server")
    {
        var server = new ServerProcess(data ?? new TempDirectory("rm-server"), data is null, settings ?? new Dictionary<string, string>(), project);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts (or restarts) the process on the same ports and data, and waits until it is ready.</summary>
    public async Task StartAgainAsync()
    {
        if (Process is { HasExited: false })
        {
            throw new InvalidOperationException("the server is still running");
        }

        if (Process is not null)
        {
            await Process.DisposeAsync();
        }

        var args = new Dictionary<string, string>
        {
            ["Urls"] = BaseUrl,
            ["Mqtt:Port"] = MqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mqtt:BindAddress"] = "127.0.0.1",
            ["Data:Path"] = data.Path,
            ["Bootstrap:AdminToken"] = AdminToken,
            ["Inventory:StaleCheckInterval"] = "00:00:00.500",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
        };
        foreach (var (key, value) in settings)
        {
            args[key] = value;
        }

        Process = ChildProcess.StartDotnet(project, project, args.SelectMany(a => new[] { "--" + a.Key, a.Value }), workingDirectory: data.Path);
        await Eventually.HoldsAsync(async () =>
        {
            if (Process.HasExited)
            {
                throw new InvalidOperationException($"the server exited with {Process.ExitCode}:\n{Process.Output}");
            }

            try
            {
                using var response = await Anonymous.GetAsync("/health/ready");
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), "the server becomes ready");
    }

    public async Task KillAsync()
    {
        if (Process is { HasExited: false } process)
        {
            process.Signal(ChildProcess.SIGKILL);
            await process.WaitForExitAsync(TimeSpan.FromSeconds(10));
        }
    }

    public async Task<string> CreateEnrollmentTokenAsync()
    {
        using var response = await Api.PostAsJsonAsync("/api/enrollment-tokens", new { });
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("token").GetString()!;
    }

    /// <summary>Enrolls a host the way an agent does (a token, then the anonymous enroll call) and answers its id; no agent runs.</summary>
    public async Task<string> EnrollHostAsync(string hostname)
    {
        var token = await CreateEnrollmentTokenAsync();
        using var enrolled = await Anonymous.PostAsJsonAsync("/api/agents/enroll", new { token, hostname, os = "linux", arch = "amd64" });
        var text = await enrolled.Content.ReadAsStringAsync();
        if (!enrolled.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"enrolling {hostname} failed: {(int)enrolled.StatusCode} {text}");
        }

        using var body = JsonDocument.Parse(text);
        return body.RootElement.GetProperty("agentId").GetString()!;
    }

    public async Task<JsonElement> GetHostAsync(string id)
    {
        using var response = await Api.GetAsync($"/api/hosts/{id}");
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    public async Task<string?> GetHostStatusAsync(string id) => (await GetHostAsync(id)).GetProperty("status").GetString();

    /// <summary>Polls the REST API until the host has the status; returns how long that took.</summary>
    public Task<TimeSpan> WaitForStatusAsync(string id, string status, TimeSpan timeout) =>
        Eventually.HoldsAsync(async () => await GetHostStatusAsync(id) == status, timeout, $"host {id} becomes {status}");

    public async ValueTask DisposeAsync()
    {
        if (Process is not null)
        {
            await Process.DisposeAsync();
        }

        Api.Dispose();
        Anonymous.Dispose();
        if (ownsData)
        {
            data.Dispose();
        }
    }
}
