using Microsoft.Extensions.Logging;
using ResticManager.Protocol;

namespace ResticManager.Agent.Storage;

/// <summary>
/// The repository configuration pushed by the server, kept encrypted in the config directory so a
/// restarted agent can run jobs before the server repeats it. Jobs wait briefly for the version
/// they were created against, since the config and the job travel as separate messages.
/// </summary>
public sealed class RepositoryStore(AgentFiles files, ILogger<RepositoryStore> logger)
{
    const string FileName = "repository.enc";
    readonly object gate = new();
    ConfigUpdate? current;
    TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConfigUpdate? Current
    {
        get
        {
            lock (gate)
            {
                if (current is null && files.LoadSealed(FileName) is { } stored)
                {
                    current = WireJson.Deserialize<ConfigUpdate>(stored);
                }

                return current;
            }
        }
    }

    public void Apply(ConfigUpdate update)
    {
        TaskCompletionSource toSignal;
        lock (gate)
        {
            if (Current is { } existing && existing.Version > update.Version)
            {
                return;
            }

            files.SaveSealed(FileName, WireJson.Serialize(update));
            current = update;
            toSignal = changed;
            changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        // The URL only: the rest of the configuration is secret.
        logger.LogInformation("Repository configuration {Version} applied: {Url}", update.Version, update.Repository?.Url ?? "(unbound)");
        toSignal.TrySetResult();
    }

    /// <summary>The repository for a job created against <paramref name="version"/> (or any, when null).</summary>
    public async Task<RepositoryConfig?> WaitForAsync(long? version, TimeSpan timeout, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        while (true)
        {
            Task next;
            lock (gate)
            {
                if (Current is { Repository: { } repository } config && (version is null || config.Version >= version))
                {
                    return repository;
                }

                next = changed.Task;
            }

            try
            {
                await next.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // Never an older repository than the job was created for: it could be one the host was moved away from.
                return Current is { Repository: { } repository } config && (version is null || config.Version >= version) ? repository : null;
            }
        }
    }
}
