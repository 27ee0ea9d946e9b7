using ResticManager.ServiceDefaults;

namespace ResticManager.Inventory;

sealed class InventorySqlServerDesignTimeFactory : SqlServerDesignTimeFactory<InventorySqlServerDbContext>;
