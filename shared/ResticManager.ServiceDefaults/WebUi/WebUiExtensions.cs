using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ResticManager.ServiceDefaults;

/// <summary>
/// The built web UI (web/dist, copied to <c>wwwroot</c> beside the binary by the build) served by the host
/// itself: files as they are, and <c>index.html</c> for a browser's deep link (the UI routes in the browser).
/// <para>
/// It is one anonymous endpoint after every other (the shell holds no secret; the API it calls still needs
/// a session), for GET and HEAD, whose route never matches the server's own paths
/// (<see cref="WebUiPaths.ServerPrefixes"/>): an API 404, 401 or 405 stays what it was.
/// </para>
/// </summary>
public static class WebUiExtensions
{
    public const string PathSetting = "WebUi:Path";

    public static WebApplication MapWebUi(this WebApplication app)
    {
        var folder = app.Configuration[PathSetting] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(AppContext.BaseDirectory, "wwwroot");
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WebUiExtensions));
        if (!File.Exists(Path.Combine(folder, "index.html")))
        {
            logger.LogWarning("The web UI is not built (no index.html in {Folder}): only the API is served", folder);
            return app;
        }

        logger.LogInformation("The web UI is served from {Folder}", folder);
        var files = new PhysicalFileProvider(folder);
        var serve = FilePipeline(app, files);
        var pattern = RoutePatternFactory.Parse("/{**path}", defaults: null, parameterPolicies: new RouteValueDictionary { ["path"] = new WebUiPaths() });
        app.Map(pattern, context =>
            {
                var request = context.Request;
                var file = files.GetFileInfo(request.Path.Value ?? "/");
                if (!file.Exists || file.IsDirectory)
                {
                    // A missing hashed file is a stale page asking for an old build: index.html would only break it.
                    if (request.Path.StartsWithSegments(WebUiPaths.Assets) || (request.Path != "/" && !WebUiPaths.AcceptsHtml(request)))
                    {
                        context.Response.StatusCode = StatusCodes.Status404NotFound;
                        return Task.CompletedTask;
                    }

                    request.Path = "/index.html";
                }

                // The static file middleware serves only requests no endpoint answers.
                context.SetEndpoint(null);
                return serve(context);
            })
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]))
            .WithOrder(int.MaxValue)
            .WithDisplayName("Web UI")
            .AllowAnonymous()
            .ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// Files with their content type, ETag and Last-Modified (so a no-cache revalidation is a 304), compressed
    /// when the client takes it: cheap, and only these public files (no secret in them to leak by compression).
    /// </summary>
    static RequestDelegate FilePipeline(WebApplication app, IFileProvider files)
    {
        var compression = new ResponseCompressionOptions
        {
            EnableForHttps = true,
            MimeTypes = ResponseCompressionDefaults.MimeTypes.Append("image/svg+xml"),
        };
        compression.Providers.Add(new BrotliCompressionProvider(Options.Create(new BrotliCompressionProviderOptions())));
        compression.Providers.Add(new GzipCompressionProvider(Options.Create(new GzipCompressionProviderOptions())));

        var branch = ((IApplicationBuilder)app).New();
        branch.UseMiddleware<ResponseCompressionMiddleware>(new ResponseCompressionProvider(app.Services, Options.Create(compression)));
        branch.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = file => WebUiPaths.AddHeaders(file.Context),
        });
        return branch.Build();
    }
}
