using Microsoft.AspNetCore.Builder;

namespace ResticManager.ServiceDefaults;

public static class ServiceHost
{
    /// <summary>
    /// A web application builder whose configuration files are read from beside the binary, so a
    /// host started from any working directory finds its appsettings.json; relative data paths
    /// still resolve against the working directory.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(string[] args) =>
        WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
}
