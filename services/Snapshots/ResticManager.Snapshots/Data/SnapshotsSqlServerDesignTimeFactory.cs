using ResticManager.ServiceDefaults;

namespace ResticManager.Snapshots;

sealed class SnapshotsSqlServerDesignTimeFactory : SqlServerDesignTimeFactory<SnapshotsSqlServerDbContext>;
