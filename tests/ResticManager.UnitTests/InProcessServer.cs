using System.Net.Http.Json;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ResticManager.Server;

namespace ResticManager.UnitTests;

/// <summary>The embedded server in this test process on free ports and a temporary SQLite folder.</summary>
public sealed class InProcessServer : IAsyncDisposable
{
    readonly TempDirectory data;

    InProcessServer(WebApplication app, string baseUrl, string adminToken, TempDirectory data)
    {
        this.data = data;
        App = app;
        Api = new HttpClient { BaseAddress = new Uri(baseUrl) };
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        Anonymous = new HttpClient { BaseAddress = new Uri(baseUrl) };
    }

    public WebApplication App { get; }

    public HttpClient Api { get; }

    public HttpClient Anonymous { get; }

    public static async Task<InProcessServer> StartAsync(TimeProvider? clock = null, params string[] settings)
    {
        var adminToken = "rmt_" + Guid.NewGuid().ToString("N");
        var dataDir = new TempDirectory("rm-inproc");
        WebApplication? app = null;
        try
        {
            app = EmbeddedServer.Build(
                [
                    "--Urls", "http://127.0.0.1:0",
                    "--Mqtt:Port", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "--Mqtt:BindAddress", "127.0.0.1",
                    "--Data:Path", dataDir.Path,
                    "--Bootstrap:AdminToken", adminToken,
                    // Unit tests keep Quartz in memory; the integration tests run its ADO store.
                    "--Schedules:Store", "Memory",
                    "--Logging:LogLevel:Default", "Warning",
                    .. settings,
                ],
                builder =>
                {
                    if (clock is not null)
                    {
                        builder.Services.AddSingleton(clock);
                    }
                });
            await app.StartEmbeddedAsync();
        }
        catch
        {
            // A server refused at build or start (its tests expect that) still leaves no files or ports behind.
            if (app is not null)
            {
                await app.DisposeAsync();
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            dataDir.Dispose();
            throw;
        }

        return new InProcessServer(app, app.Urls.First(), adminToken, dataDir);
    }

    /// <summary>Enrolls a host the way an agent does (a token, then the anonymous enroll call) and answers its id; no agent runs.</summary>
    public async Task<string> EnrollHostAsync(string hostname)
    {
        using var created = await Api.PostAsJsonAsync("/api/enrollment-tokens", new { });
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        using var token = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        using var enrolled = await Anonymous.PostAsJsonAsync("/api/agents/enroll",
            new { token = token.RootElement.GetProperty("token").GetString(), hostname, os = "linux", arch = "amd64" });
        Assert.Equal(System.Net.HttpStatusCode.OK, enrolled.StatusCode);
        using var body = System.Text.Json.JsonDocument.Parse(await enrolled.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("agentId").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        Anonymous.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        data.Dispose();
    }
}
