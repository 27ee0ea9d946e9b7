using ResticManager.ServiceDefaults;

namespace ResticManager.Access;

sealed class AccessSqlServerDesignTimeFactory : SqlServerDesignTimeFactory<AccessSqlServerDbContext>;
