using Microsoft.EntityFrameworkCore;
using ResticManager.Contracts;
using ResticManager.Protocol;

namespace ResticManager.Jobs;

public sealed class JobsSqlServerDbContext(DbContextOptions<JobsSqlServerDbContext> options) : JobsDbContext(options);
