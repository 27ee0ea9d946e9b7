using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using ResticManager.BuildingBlocks;

namespace ResticManager.Inventory;

/// <summary>
/// What an operator's one-liner fetches: the install scripts and the agent builds. Anonymous: a host being
/// installed has no credential yet, and nothing here is secret (the enrollment token travels on the command line).
/// </summary>
public static partial class InstallEndpoints
{
    const string ShellScriptType = "text/x-shellscript";
    const string PowerShellScriptType = "text/plain";

    public static IEndpointRouteBuilder MapInstall(this IEndpointRouteBuilder app)
    {
        // Resolved now so the builds are hashed, and where they were looked for logged, at start, not at the first download.
        app.ServiceProvider.GetRequiredService<AgentBuildCatalogue>();
        if (string.IsNullOrEmpty(app.ServiceProvider.GetRequiredService<IConfiguration>()["Notifications:PublicUrl"]))
        {
            app.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(InstallEndpoints).FullName!).LogWarning(
                "Notifications:PublicUrl is not set: the install scripts point hosts at the address each request came in on; set it to the URL hosts reach this server at");
        }

        var install = app.MapGroup("/install").AllowAnonymous().WithTags("Install");
        install.MapGet("/agent/builds", ListBuilds)
            .WithSummary("The agent version this server ships and its builds per platform, with their SHA-256");
        install.MapGet("/agent/{platform}", DownloadBuild)
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .WithSummary("Download the agent build for a platform (linux-x64, linux-arm64, win-x64)");
        install.MapGet("/agent.sh", ShellScript)
            .Produces<string>(StatusCodes.Status200OK, ShellScriptType)
            .WithSummary("The Linux install script: curl -fsSL <server>/install/agent.sh | sudo sh -s -- --token <token>");
        install.MapGet("/agent.ps1", PowerShellScript)
            .Produces<string>(StatusCodes.Status200OK, PowerShellScriptType)
            .WithSummary("The Windows install script: iex \"& { $(irm <server>/install/agent.ps1) } -Token <token>\"");
        return app;
    }

    static Ok<AgentBuildsView> ListBuilds(HttpRequest request, AgentBuildCatalogue catalogue, IConfiguration configuration)
    {
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        var server = PublicUrl(request, configuration);
        return TypedResults.Ok(new AgentBuildsView(catalogue.Version, catalogue.Protocol,
            [.. catalogue.Builds.Select(b => new AgentBuildView(b.Platform, b.Sha256, b.Size, $"{server}/install/agent/{b.Platform}"))]));
    }

    static Results<PhysicalFileHttpResult, ProblemHttpResult> DownloadBuild(string platform, AgentBuildCatalogue catalogue)
    {
        if (catalogue.Find(platform) is not { } build)
        {
            return Problems.NotFound(catalogue.Builds.Count == 0
                ? $"This server has no agent build for platform '{platform}' (it has none; build them with packaging/build.sh)."
                : $"This server has no agent build for platform '{platform}'; it has {string.Join(", ", catalogue.Builds.Select(b => b.Platform))}.");
        }

        // Streamed from disk with its length; the ETag is the hash computed at start, so a client that checks
        // the body against it (the install scripts do) notices a file changed since.
        return TypedResults.PhysicalFile(build.FilePath, "application/octet-stream", build.FileName,
            entityTag: new EntityTagHeaderValue($"\"{build.Sha256}\""));
    }

    static Results<ContentHttpResult, ValidationProblem, ProblemHttpResult> ShellScript(HttpRequest request, AgentBuildCatalogue catalogue, IConfiguration configuration) =>
        Script(InstallScripts.ShellScript, ShellScriptType + "; charset=utf-8", request, catalogue, configuration);

    static Results<ContentHttpResult, ValidationProblem, ProblemHttpResult> PowerShellScript(HttpRequest request, AgentBuildCatalogue catalogue, IConfiguration configuration) =>
        Script(InstallScripts.PowerShellScript, PowerShellScriptType + "; charset=utf-8", request, catalogue, configuration);

    static Results<ContentHttpResult, ValidationProblem, ProblemHttpResult> Script(
        string name, string contentType, HttpRequest request, AgentBuildCatalogue catalogue, IConfiguration configuration)
    {
        // Each response carries this server's address as this request named it: no cache may hand it to another.
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        request.HttpContext.Response.Headers.Vary = "Host";
        var server = PublicUrl(request, configuration);
        // Baked into a quoted string of a script that runs as root: a Host header that is not a plain URL stops here.
        if (!SafeUrl().IsMatch(server))
        {
            return Problems.Invalid("Host", $"the server's address '{server}' is not a plain http(s) URL to put in a script; set Notifications:PublicUrl");
        }

        return InstallScripts.Render(name, server, catalogue) is { } script
            ? TypedResults.Text(script, contentType)
            : Problems.NotFound($"This server was built without {name}.");
    }

    /// <summary>
    /// The address hosts reach the server at: <c>Notifications:PublicUrl</c> (the same base the links in
    /// notifications use) when set, else the address this request came in on.
    /// </summary>
    static string PublicUrl(HttpRequest request, IConfiguration configuration) =>
        configuration["Notifications:PublicUrl"] is { Length: > 0 } configured
            ? configured.TrimEnd('/')
            : $"{request.Scheme}://{request.Host}{request.PathBase}".TrimEnd('/');

    [GeneratedRegex(@"^https?://[A-Za-z0-9.\-\[\]:]+(/[A-Za-z0-9._~\-/]*)?\z")]
    private static partial Regex SafeUrl();
}
