using ResticManager.ServiceDefaults;

namespace ResticManager.Inventory;

sealed class InventorySqliteDesignTimeFactory : SqliteDesignTimeFactory<InventorySqliteDbContext>;
