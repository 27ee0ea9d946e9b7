using Microsoft.EntityFrameworkCore;

namespace ResticManager.Snapshots;

public sealed class SnapshotsSqlServerDbContext(DbContextOptions<SnapshotsSqlServerDbContext> options) : SnapshotsDbContext(options);
