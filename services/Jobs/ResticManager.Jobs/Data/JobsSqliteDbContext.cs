using Microsoft.EntityFrameworkCore;
using ResticManager.Contracts;
using ResticManager.Protocol;

namespace ResticManager.Jobs;

public sealed class JobsSqliteDbContext(DbContextOptions<JobsSqliteDbContext> options) : JobsDbContext(options);
