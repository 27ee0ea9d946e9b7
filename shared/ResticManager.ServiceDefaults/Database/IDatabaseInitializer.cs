using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ResticManager.ServiceDefaults;

public interface IDatabaseInitializer
{
    Task InitializeAsync(IServiceProvider services, CancellationToken cancellationToken);
}
