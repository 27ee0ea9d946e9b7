using Microsoft.Extensions.DependencyInjection;
using ResticManager.Agent.Connection;
using ResticManager.Agent.Jobs;
using ResticManager.Agent.Liveness;
using ResticManager.Agent.Queries;
using ResticManager.Agent.Restic;
using ResticManager.Agent.Restore;
using ResticManager.Agent.Storage;

namespace ResticManager.Agent;

public static class AgentServices
{
    /// <summary>
    /// The agent's parts; the outbox, the job runner, the queries and the connection run, in that order, as
    /// hosted services (so at a stop the connection goes first and no new query arrives while the running ones stop).
    /// </summary>
    public static IServiceCollection AddAgent(this IServiceCollection services, AgentFiles files)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(files);
        services.AddSingleton<LoopProgress>();
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
        services.AddSingleton<QueryRestic>();
        services.AddSingleton<QueryReplies>();
        services.AddSingleton<TreeQueryHandler>();
        services.AddSingleton<FindQueryHandler>();
        services.AddSingleton<DiffQueryHandler>();
        services.AddSingleton<DumpQueryHandler>();
        services.AddSingleton<QueryDispatcher>();
        services.AddOptions<AgentOptions>()
            .Validate(o => o.MaxConcurrentQueries is >= 1 and <= 64, "Agent:MaxConcurrentQueries must be between 1 and 64")
            .Validate(o => o.QueryIdleTimeoutSeconds is >= 1 and <= 3600, "Agent:QueryIdleTimeoutSeconds must be between 1 and 3600")
            .ValidateOnStart();
        services.AddHostedService(sp => sp.GetRequiredService<Outbox>());
        services.AddHostedService(sp => sp.GetRequiredService<JobRunner>());
        services.AddHostedService(sp => sp.GetRequiredService<QueryDispatcher>());
        services.AddHostedService<AgentConnection>();
        return services;
    }
}
