using System.Net;
using System.Text.RegularExpressions;
using ResticManager.Access;
using ResticManager.ServiceDefaults;

namespace ResticManager.UnitTests;

/// <summary>The embedded server serves the built web UI beside its API (MapWebUi); the gateway's twin is in the integration tests.</summary>
public sealed partial class WebUiTests
{
    [Fact]
    public async Task The_server_serves_the_ui_files_and_index_html_for_deep_links_but_never_for_its_own_paths()
    {
        using var ui = new FakeWebUi();
        await using var server = await InProcessServer.StartAsync(null, "--WebUi:Path", ui.Path);
        await FakeWebUi.AssertServedAsync(server.Anonymous, server.Api);
    }

    /// <summary>ServiceDefaults cannot reference the access module, so it names the callback path itself: the two must agree.</summary>
    [Fact]
    public void The_single_sign_on_callback_is_a_server_path_never_a_ui_route() =>
        Assert.True(WebUiPaths.IsServerPath(OidcLogin.CallbackPath));

    [Fact]
    public async Task Without_a_built_ui_the_server_answers_no_page_and_its_api_works()
    {
        using var none = FakeWebUi.Empty();
        await using var server = await InProcessServer.StartAsync(null, "--WebUi:Path", none.Path);
        await FakeWebUi.AssertAbsentAsync(server.Api, "/api/hosts");
    }

    /// <summary>The .NET build ran npm and copied web/dist beside the server; served as is, its page works under the policy.</summary>
    [Fact]
    public async Task The_build_put_the_real_ui_beside_the_server_and_it_is_served_under_the_content_security_policy()
    {
        var wwwroot = Path.Combine(RepoPaths.Root, "artifacts", "bin", "ResticManager.Server", RepoPaths.Configuration, "wwwroot");
        var indexPath = Path.Combine(wwwroot, "index.html");
        Assert.True(File.Exists(indexPath), $"{indexPath} is missing: the build did not build the web UI (node and npm installed? -p:SkipWebUi?)");
        var index = await File.ReadAllTextAsync(indexPath);

        var assets = AssetReference().Matches(index).Select(m => m.Groups["path"].Value).ToList();
        Assert.Contains(assets, a => a.EndsWith(".js", StringComparison.Ordinal));
        Assert.Contains(assets, a => a.EndsWith(".css", StringComparison.Ordinal));
        foreach (var asset in assets)
        {
            Assert.True(File.Exists(Path.Combine(wwwroot, asset.TrimStart('/'))), $"index.html references {asset}, which the build did not produce");
        }

        // The policy allows no inline script or style element: the page must have none.
        Assert.DoesNotMatch(InlineScript(), index);
        Assert.DoesNotContain("<style", index, StringComparison.OrdinalIgnoreCase);

        await using var server = await InProcessServer.StartAsync(null, "--WebUi:Path", wwwroot);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hosts/x");
        request.Headers.Accept.ParseAdd("text/html");
        using var page = await server.Anonymous.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(index, await page.Content.ReadAsStringAsync());
        FakeWebUi.AssertSecurityHeaders(page);
        foreach (var asset in assets)
        {
            using var file = await server.Anonymous.GetAsync(asset);
            Assert.Equal(HttpStatusCode.OK, file.StatusCode);
            Assert.Equal(asset.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript" : "text/css", file.Content.Headers.ContentType?.MediaType);
            Assert.True(file.Headers.CacheControl?.Public == true && file.Headers.CacheControl.MaxAge == TimeSpan.FromDays(365), $"{asset}: {file.Headers.CacheControl}");
        }
    }

    [GeneratedRegex(@"(?:src|href)=""(?<path>/assets/[^""]+)""")]
    private static partial Regex AssetReference();

    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();
}
