using ResticManager.ServiceDefaults;

namespace ResticManager.Access;

sealed class AccessSqliteDesignTimeFactory : SqliteDesignTimeFactory<AccessSqliteDbContext>;
