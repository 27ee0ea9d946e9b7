using Microsoft.EntityFrameworkCore;
using ResticManager.Contracts;
using ResticManager.Protocol;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Jobs;

public sealed class JobsSqlServerDbContext(DbContextOptions<JobsSqlServerDbContext> options) : JobsDbContext(options);
