using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ResticManager.Agent.Storage.Protection;

/// <summary>
/// Secures the config folder when the agent starts and says so, once, when it had to tighten it: an operator
/// who loosened it on purpose learns why it changed back, and one who did not learns that something did.
/// </summary>
public sealed class ConfigFolderGuard(AgentFiles files, ILogger<ConfigFolderGuard> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var check = files.SecureDirectory();
        if (check.Tightened)
        {
            logger.LogWarning("The config folder {Directory} was open to more than the agent's own account(s) ({Rights}); tightened it",
                check.Directory, check.LooserRights);
        }
        else if (check.Problem is not null)
        {
            logger.LogWarning("The config folder {Directory} is open to more than the agent's own account(s) ({Rights}) and could not be tightened: {Problem}",
                check.Directory, check.LooserRights, check.Problem);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
