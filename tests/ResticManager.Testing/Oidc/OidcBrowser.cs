using System.Net;
using System.Text.RegularExpressions;

namespace ResticManager.Testing;

/// <summary>
/// A browser for single sign-on tests: one cookie jar for every site, and redirects followed by hand so
/// each hop (server, provider, login form, callback) can be checked or tampered with.
/// </summary>
public sealed partial class OidcBrowser : IDisposable
{
    readonly HttpClient http;

    public OidcBrowser()
    {
        Cookies = new CookieContainer();
        http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false, UseCookies = true });
    }

    public CookieContainer Cookies { get; }

    public HttpClient Http => http;

    /// <summary>Asks the server to start a login; returns the provider's authorization URL it redirected to.</summary>
    public async Task<Uri> StartAsync(Uri server, string returnUrl)
    {
        using var response = await http.GetAsync(new Uri(server, "/api/session/oidc?returnUrl=" + Uri.EscapeDataString(returnUrl)));
        return RedirectTarget(response, HttpStatusCode.Found, "the server's login start");
    }

    /// <summary>Opens the provider's login form and submits it; returns the callback URL the provider redirected to.</summary>
    public async Task<Uri> LogInAtProviderAsync(Uri authorize, string username, string password)
    {
        using var page = await http.GetAsync(authorize);
        var html = await page.Content.ReadAsStringAsync();
        if (page.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"The provider's authorization endpoint answered {(int)page.StatusCode}: {html}");
        }

        var action = FormAction().Match(html);
        if (!action.Success)
        {
            throw new InvalidOperationException("The provider showed no login form: " + html);
        }

        var fields = HiddenField().Matches(html).Select(m => KeyValuePair.Create(WebUtility.HtmlDecode(m.Groups["name"].Value), WebUtility.HtmlDecode(m.Groups["value"].Value))).ToList();
        fields.Add(KeyValuePair.Create("username", username));
        fields.Add(KeyValuePair.Create("password", password));
        using var form = new FormUrlEncodedContent(fields);
        using var posted = await http.PostAsync(new Uri(authorize, WebUtility.HtmlDecode(action.Groups["action"].Value)), form);
        return RedirectTarget(posted, HttpStatusCode.Found, "the provider's login form");
    }

    /// <summary>Sends the browser to <paramref name="url"/> (the callback) and returns the answer, unfollowed.</summary>
    public Task<HttpResponseMessage> GetAsync(Uri url) => http.GetAsync(url);

    /// <summary>The whole login: start, provider form, callback. Returns the callback's answer.</summary>
    public async Task<HttpResponseMessage> LogInAsync(Uri server, string username, string password, string returnUrl = "/")
    {
        var authorize = await StartAsync(server, returnUrl);
        var callback = await LogInAtProviderAsync(authorize, username, password);
        return await http.GetAsync(callback);
    }

    public static Uri RedirectTarget(HttpResponseMessage response, HttpStatusCode expected, string what)
    {
        if (response.StatusCode != expected || response.Headers.Location is null)
        {
            throw new InvalidOperationException($"{what} answered {(int)response.StatusCode} (location {response.Headers.Location}), not a {(int)expected} redirect: {response.Content.ReadAsStringAsync().GetAwaiter().GetResult()}");
        }

        return response.Headers.Location.IsAbsoluteUri ? response.Headers.Location : new Uri(response.RequestMessage!.RequestUri!, response.Headers.Location);
    }

    public void Dispose() => http.Dispose();

    [GeneratedRegex("<form method=\"post\" action=\"(?<action>[^\"]*)\"")]
    private static partial Regex FormAction();

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]*)\" value=\"(?<value>[^\"]*)\"")]
    private static partial Regex HiddenField();
}
