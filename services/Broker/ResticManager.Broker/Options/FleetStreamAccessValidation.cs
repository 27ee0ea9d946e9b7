using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ResticManager.Broker;

/// <summary>Refuses to start with a bad reader or discovery prefix, naming the key (see <see cref="FleetStreamAccess.Problems"/>).</summary>
sealed class FleetStreamAccessValidation(IConfiguration configuration) : IValidateOptions<BrokerOptions>
{
    public ValidateOptionsResult Validate(string? name, BrokerOptions options) =>
        FleetStreamAccess.Problems(options, configuration).ToList() is { Count: > 0 } problems
            ? ValidateOptionsResult.Fail(problems)
            : ValidateOptionsResult.Success;
}
