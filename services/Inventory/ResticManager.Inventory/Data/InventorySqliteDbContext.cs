using Microsoft.EntityFrameworkCore;

namespace ResticManager.Inventory;

public sealed class InventorySqliteDbContext(DbContextOptions<InventorySqliteDbContext> options) : InventoryDbContext(options);
