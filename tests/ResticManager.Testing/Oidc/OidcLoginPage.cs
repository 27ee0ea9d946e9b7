using System.Text;
using System.Text.Encodings.Web;
using OpenIddict.Abstractions;

namespace ResticManager.Testing;

/// <summary>
/// The provider's login form: the authorization request's parameters travel as hidden fields, so the
/// post is itself an authorization request that OpenIddict validates again before the user is signed in.
/// </summary>
static class OidcLoginPage
{
    public const string UsernameField = OpenIddictConstants.Parameters.Username;
    public const string PasswordField = OpenIddictConstants.Parameters.Password;

    public static string Render(string action, OpenIddictRequest request, string? error)
    {
        var html = HtmlEncoder.Default;
        var page = new StringBuilder();
        page.Append("<!DOCTYPE html><html><head><title>Test provider login</title></head><body>");
        if (error is not null)
        {
            page.Append("<p class=\"error\">").Append(html.Encode(error)).Append("</p>");
        }

        page.Append("<form method=\"post\" action=\"").Append(html.Encode(action)).Append("\">");
        foreach (var (name, value) in request.GetParameters())
        {
            if (name is UsernameField or PasswordField || (string?)value is not { } text)
            {
                continue;
            }

            page.Append("<input type=\"hidden\" name=\"").Append(html.Encode(name)).Append("\" value=\"").Append(html.Encode(text)).Append("\" />");
        }

        page.Append("<input name=\"").Append(UsernameField).Append("\" /><input type=\"password\" name=\"").Append(PasswordField).Append("\" />");
        page.Append("<button type=\"submit\">Log in</button></form></body></html>");
        return page.ToString();
    }
}
