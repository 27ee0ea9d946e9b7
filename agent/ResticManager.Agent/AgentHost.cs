using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ResticManager.Agent.Storage;

namespace ResticManager.Agent;

/// <summary>
/// The agent's host: its settings (section <c>Agent</c>), its parts and the shutdown time a running job
/// needs. The <c>run</c> command builds it as is; the embedded server's demo builds it inside the server's
/// process (its own container, so nothing of the agent mixes with the server's services).
/// </summary>
public static class AgentHost
{
    public static HostApplicationBuilder CreateBuilder(AgentFiles files, string[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = settings, ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });
        builder.Logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
        var agent = builder.Configuration.GetSection("Agent");
        builder.Services.Configure<AgentOptions>(agent);
        builder.Services.AddAgent(files);
        // A job's restic gets its cancel grace to stop by itself on the way out too.
        var grace = agent.GetValue(nameof(AgentOptions.CancelGraceSeconds), new AgentOptions().CancelGraceSeconds);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15 + grace));
        return builder;
    }
}
