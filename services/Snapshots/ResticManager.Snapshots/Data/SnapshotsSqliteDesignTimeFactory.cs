using ResticManager.ServiceDefaults;

namespace ResticManager.Snapshots;

sealed class SnapshotsSqliteDesignTimeFactory : SqliteDesignTimeFactory<SnapshotsSqliteDbContext>;
