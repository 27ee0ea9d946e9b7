using Microsoft.EntityFrameworkCore;

namespace ResticManager.Inventory;

public sealed class InventorySqlServerDbContext(DbContextOptions<InventorySqlServerDbContext> options) : InventoryDbContext(options);
