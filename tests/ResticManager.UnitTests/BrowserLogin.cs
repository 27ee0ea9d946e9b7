using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ResticManager.UnitTests;

/// <summary>
/// A browser's side of a session against the in-process server: no cookie jar, so each test sees
/// and sends the session cookie itself.
/// </summary>
public static class BrowserLogin
{
    public const string Password = "correct horse battery staple";

    public static HttpClient Client(InProcessServer server) =>
        new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = server.Api.BaseAddress };

    /// <summary>Creates a user as the bootstrap admin token; answers its id.</summary>
    public static async Task<string> CreateUserAsync(InProcessServer server, string username, string? password = Password, object[]? grants = null)
    {
        using var response = await server.Api.PostAsJsonAsync("/api/users", new { username, password, grants = grants ?? [new { role = "admin", scope = "*" }] });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
    }

    public static Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string username, string password) =>
        client.PostAsJsonAsync("/api/session", new { username, password });

    public static async Task<BrowserSessionCookie> LoginAsync(HttpClient client, string username, string password = Password)
    {
        using var response = await PostLoginAsync(client, username, password);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        var body = JsonDocument.Parse(text).RootElement;
        return new BrowserSessionCookie(setCookie, setCookie.Split(';')[0], body.GetProperty("csrfToken").GetString()!, body.GetProperty("user").GetProperty("id").GetString()!);
    }

    /// <summary>A request carrying the session cookie and, unless told otherwise, its antiforgery header.</summary>
    public static HttpRequestMessage Request(HttpMethod method, string path, BrowserSessionCookie session, object? body = null, bool csrf = true)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("Cookie", session.Cookie);
        if (csrf)
        {
            request.Headers.Add("X-CSRF-Token", session.Csrf);
        }

        return request;
    }

    public static async Task<HttpStatusCode> StatusAsync(HttpClient client, HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }
    }
}
