using Microsoft.EntityFrameworkCore;

namespace ResticManager.Snapshots;

public sealed class SnapshotsSqliteDbContext(DbContextOptions<SnapshotsSqliteDbContext> options) : SnapshotsDbContext(options);
