using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Xunit;

namespace ResticManager.Testing;

/// <summary>
/// A built web UI in a temporary folder (what Vite writes: index.html, hashed files under assets/), and what a
/// host serving it with MapWebUi must answer, shared by the embedded server's and the gateway's tests.
/// </summary>
public sealed class FakeWebUi : IDisposable
{
    public const string IndexMarker = "<!-- fake web ui index -->";
    public const string ScriptPath = "/assets/app-abc123.js";
    public const string Script = "console.log('the web ui');\n";

    readonly TempDirectory folder = new("rm-webui");

    public FakeWebUi()
    {
        File.WriteAllText(folder.Combine("index.html"), $"""
            <!doctype html>
            {IndexMarker}
            <html lang="en"><head><script type="module" src="{ScriptPath}"></script></head><body><div id="root"></div></body></html>
            """);
        Directory.CreateDirectory(folder.Combine("assets"));
        // Long enough for compression to be worth checking.
        File.WriteAllText(folder.Combine("assets", "app-abc123.js"), string.Concat(Enumerable.Repeat(Script, 200)));
    }

    public string Path => folder.Path;

    /// <summary>An empty folder: no index.html, no UI.</summary>
    public static TempDirectory Empty() => new("rm-webui-none");

    /// <param name="anonymous">A client with no credential: the UI's files need none.</param>
    /// <param name="admin">The bootstrap admin: the API's answers are checked where a credential gets past authentication.</param>
    public static async Task AssertServedAsync(HttpClient anonymous, HttpClient admin)
    {
        foreach (var path in new[] { "/", "/hosts/x/snapshots", "/index.html" })
        {
            using var page = await anonymous.SendAsync(Html(HttpMethod.Get, path));
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains(IndexMarker, await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            Assert.True(page.Headers.CacheControl?.NoCache, $"{path}: {page.Headers.CacheControl}");
            AssertSecurityHeaders(page);
        }

        using (var head = await anonymous.SendAsync(Html(HttpMethod.Head, "/hosts/x")))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal("text/html", head.Content.Headers.ContentType?.MediaType);
        }

        using (var script = await anonymous.GetAsync(ScriptPath))
        {
            Assert.Equal(HttpStatusCode.OK, script.StatusCode);
            Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
            Assert.Equal("public, max-age=31536000, immutable", string.Join(", ", script.Headers.GetValues("Cache-Control")));
            Assert.StartsWith(Script, await script.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal("nosniff", script.Headers.GetValues("X-Content-Type-Options").Single());
        }

        using (var compressed = new HttpRequestMessage(HttpMethod.Get, ScriptPath))
        {
            compressed.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));
            using var response = await anonymous.SendAsync(compressed);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("br", response.Content.Headers.ContentEncoding.Single());
        }

        // A stale page asking for a file of an older build, or a script's fetch of a missing file: never the page.
        foreach (var (path, accept) in new[] { ("/assets/missing.js", "text/html"), ("/assets/missing.js", "*/*"), ("/hosts/x", "application/json") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Accept.ParseAdd(accept);
            using var missing = await anonymous.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.DoesNotContain(IndexMarker, await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // The server's own paths answer as they did without the UI, whatever the Accept header says: the same
        // problem (type, title, status, traceId) a JSON client gets.
        foreach (var (client, status) in new[] { (admin, HttpStatusCode.NotFound), (anonymous, HttpStatusCode.Unauthorized) })
        {
            List<string>? asJson = null;
            foreach (var accept in new[] { "application/json", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html" })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/api/nope");
                request.Headers.Accept.ParseAdd(accept);
                using var api = await client.SendAsync(request);
                Assert.Equal(status, api.StatusCode);
                Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
                using var problem = JsonDocument.Parse(await api.Content.ReadAsStringAsync());
                Assert.Equal((int)status, problem.RootElement.GetProperty("status").GetInt32());
                Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("type").GetString()), accept);
                Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("traceId").GetString()), accept);
                var fields = problem.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
                asJson ??= fields;
                Assert.Equal(asJson, fields);
            }
        }

        using (var openApi = await anonymous.SendAsync(Html(HttpMethod.Get, "/openapi/v1.json")))
        {
            Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
            Assert.Equal("application/json", openApi.Content.Headers.ContentType?.MediaType);
        }

        using (var health = await anonymous.SendAsync(Html(HttpMethod.Get, "/health/nope")))
        {
            Assert.NotEqual(HttpStatusCode.OK, health.StatusCode);
        }

        // Only GET and HEAD are the UI's: a form posted to a page path is refused, not answered with the page.
        foreach (var client in new[] { anonymous, admin })
        {
            using var post = Html(HttpMethod.Post, "/hosts/x");
            post.Content = new StringContent("a=b", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
            using var response = await client.SendAsync(post);
            Assert.False(response.IsSuccessStatusCode, $"POST /hosts/x: {(int)response.StatusCode}");
            Assert.DoesNotContain(IndexMarker, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    /// <summary>A host with no built UI answers no page at all, and its API is unchanged.</summary>
    public static async Task AssertAbsentAsync(HttpClient admin, string apiPath)
    {
        foreach (var path in new[] { "/", "/hosts/x", ScriptPath })
        {
            using var page = await admin.SendAsync(Html(HttpMethod.Get, path));
            Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        }

        using var api = await admin.GetAsync(apiPath);
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
    }

    public static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        var directives = policy.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        foreach (var expected in new[] { "default-src 'self'", "script-src 'self'", "connect-src 'self'", "img-src 'self' data:", "frame-ancestors 'none'", "object-src 'none'" })
        {
            Assert.Contains(expected, directives);
        }

        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
    }

    /// <summary>What a browser sends when it navigates.</summary>
    static HttpRequestMessage Html(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        return request;
    }

    public void Dispose() => folder.Dispose();
}
