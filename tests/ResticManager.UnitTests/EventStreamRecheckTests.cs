using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using static ResticManager.UnitTests.BrowserLogin;

namespace ResticManager.UnitTests;

/// <summary>
/// An open event stream is not a way around a revocation: its credential is checked again while it runs,
/// and a revoked token or an ended session ends it, while a stream whose credential holds stays open.
/// </summary>
public sealed class EventStreamRecheckTests
{
    [Fact]
    public async Task Revoking_the_token_or_ending_the_session_ends_their_open_event_streams()
    {
        await using var server = await InProcessServer.StartAsync(null, "--Auth:StreamRecheckInterval", "00:00:01");

        using var created = await server.Api.PostAsJsonAsync("/api/api-tokens", new { name = "stream-viewer", role = "viewer" });
        using var token = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        using var viewer = new HttpClient { BaseAddress = server.Api.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        viewer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.RootElement.GetProperty("token").GetString());
        using var tokenStream = await OpenAsync(viewer, new HttpRequestMessage(HttpMethod.Get, "/api/jobs/events"));

        await CreateUserAsync(server, "alice");
        using var browser = Client(server);
        var session = await LoginAsync(browser, "alice");
        using var sessionStream = await OpenAsync(browser, Request(HttpMethod.Get, "/api/jobs/events", session));

        using var admin = new HttpClient { BaseAddress = server.Api.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        admin.DefaultRequestHeaders.Authorization = server.Api.DefaultRequestHeaders.Authorization;
        using var adminStream = await OpenAsync(admin, new HttpRequestMessage(HttpMethod.Get, "/api/jobs/events"));

        var revokeTask = server.Api.DeleteAsync($"/api/api-tokens/{token.RootElement.GetProperty("id").GetString()}");
        using (var revoked = await revokeTask)
        {
            Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        }

        using (var loggedOut = await browser.SendAsync(Request(HttpMethod.Delete, "/api/session", session)))
        {
            Assert.Equal(HttpStatusCode.NoContent, loggedOut.StatusCode);
        }

        await EndsWithinAsync(tokenStream, "the revoked token's stream");
        await EndsWithinAsync(sessionStream, "the ended session's stream");

        // The admin's credential still holds: over three more checks its stream stays open.
        Assert.True(await StaysOpenAsync(adminStream, TimeSpan.FromSeconds(3)), "the admin's stream ended");
    }

    /// <summary>True when the stream neither ends nor breaks within <paramref name="checks"/> (what it sends meanwhile is read and dropped).</summary>
    static async Task<bool> StaysOpenAsync(HttpResponseMessage response, TimeSpan checks)
    {
        var stream = await response.Content.ReadAsStreamAsync();
        using var window = new CancellationTokenSource(checks);
        var buffer = new byte[4096];
        try
        {
            while (await stream.ReadAsync(buffer, window.Token) > 0)
            {
            }

            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            return false;
        }
    }

    static async Task<HttpResponseMessage> OpenAsync(HttpClient client, HttpRequestMessage request)
    {
        using (request)
        {
            var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            return response;
        }
    }

    /// <summary>Reads the stream until it ends (0 bytes or a broken connection), failing after a deadline.</summary>
    static async Task EndsWithinAsync(HttpResponseMessage response, string what)
    {
        var stream = await response.Content.ReadAsStreamAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var buffer = new byte[4096];
        try
        {
            while (await stream.ReadAsync(buffer, deadline.Token) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            // The server aborted the response: the stream is over.
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"{what} was still open after 20 s");
        }
    }
}
