using System.Net.Http.Headers;
using ResticManager.ServiceDefaults;
using Yarp.ReverseProxy.Transforms;

namespace ResticManager.Gateway;

/// <summary>
/// YARP routes from the public API to the owning services (section <c>ReverseProxy</c>), with the
/// caller's identity (from an API token or a browser session) exchanged for a short-lived gateway
/// token: the services never see an API token, a session cookie or its antiforgery header.
/// </summary>
public static class ServiceRoutes
{
    public static IHostApplicationBuilder AddServiceRoutes(this IHostApplicationBuilder builder)
    {
        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddTransforms(context => context.AddRequestTransform(transform =>
            {
                transform.ProxyRequest.Headers.Authorization = null;
                transform.ProxyRequest.Headers.Remove("Cookie");
                transform.ProxyRequest.Headers.Remove(SessionCookie.CsrfHeader);
                var user = transform.HttpContext.User;
                if (user.Identity?.IsAuthenticated == true)
                {
                    var tokens = transform.HttpContext.RequestServices.GetRequiredService<GatewayTokens>();
                    transform.ProxyRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.Mint(user.ToIdentity()));
                }

                return ValueTask.CompletedTask;
            }));
        return builder;
    }
}
