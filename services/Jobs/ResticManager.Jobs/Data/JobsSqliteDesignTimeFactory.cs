using Microsoft.EntityFrameworkCore;
using ResticManager.Contracts;
using ResticManager.Protocol;
using ResticManager.ServiceDefaults;

namespace ResticManager.Jobs;

sealed class JobsSqliteDesignTimeFactory : SqliteDesignTimeFactory<JobsSqliteDbContext>;
