using Microsoft.Extensions.DependencyInjection;
using ResticManager.Agent.Connection;
using ResticManager.Agent.Jobs;
using ResticManager.Agent.Restic;
using ResticManager.Agent.Restore;
using ResticManager.Agent.Storage;

namespace ResticManager.Agent;

public static class AgentServices
{
    /// <summary>The agent's parts; the outbox, the job runner and the connection run, in that order, as hosted services.</summary>
    public static IServiceCollection AddAgent(this IServiceCollection services, AgentFiles files)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(files);
        services.AddSingleton<AgentLink>();
        services.AddSingleton<RepositoryStore>();
        services.AddSingleton<Outbox>();
        services.AddSingleton<SeenJobs>();
        services.AddSingleton<RunningJobs>();
        services.AddSingleton<JobCancellations>();
        services.AddSingleton<ResticProcess>();
        services.AddSingleton<RestoreExecutor>();
        services.AddSingleton<JobExecutor>();
        services.AddSingleton<JobReports>();
        services.AddSingleton<JobRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<Outbox>());
        services.AddHostedService(sp => sp.GetRequiredService<JobRunner>());
        services.AddHostedService<AgentConnection>();
        return services;
    }
}
