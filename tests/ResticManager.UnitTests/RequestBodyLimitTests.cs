using System.Net;
using System.Text;
using System.Text.Json;

namespace ResticManager.UnitTests;

/// <summary>
/// <c>Http:MaxRequestBodyBytes</c> bounds every body: declared too large or streamed past the limit,
/// the answer is 413 problem+json (never a reset connection), and a body within it is read as before.
/// </summary>
public sealed class RequestBodyLimitTests
{
    [Fact]
    public async Task Bodies_over_the_limit_get_413_problem_json_whether_declared_or_streamed_and_smaller_ones_are_read()
    {
        await using var server = await InProcessServer.StartAsync(null, "--Http:MaxRequestBodyBytes", "2048");
        var tooLarge = "{\"ttlMinutes\": 5, \"pad\": \"" + new string('x', 4096) + "\"}";

        using (var declared = await server.Api.PostAsync("/api/enrollment-tokens", new StringContent(tooLarge, Encoding.UTF8, "application/json")))
        {
            await AssertTooLargeAsync(declared);
        }

        // No Content-Length: Kestrel stops reading at the limit and the handler answers the same.
        using var streamed = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(tooLarge)));
        streamed.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/enrollment-tokens") { Content = streamed })
        {
            request.Headers.TransferEncodingChunked = true;
            using var response = await server.Api.SendAsync(request);
            await AssertTooLargeAsync(response);
        }

        using var within = await server.Api.PostAsync("/api/enrollment-tokens", new StringContent("{\"ttlMinutes\": \"soon\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, within.StatusCode);
        using var created = await server.Api.PostAsync("/api/enrollment-tokens", new StringContent("{\"ttlMinutes\": 5}", Encoding.UTF8, "application/json"));
        Assert.True(created.IsSuccessStatusCode, $"{(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
    }

    static async Task AssertTooLargeAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(text);
        Assert.Equal(413, problem.RootElement.GetProperty("status").GetInt32());
    }
}
