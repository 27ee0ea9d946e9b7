using Microsoft.EntityFrameworkCore;

namespace ResticManager.Access;

public sealed class AccessSqlServerDbContext(DbContextOptions<AccessSqlServerDbContext> options) : AccessDbContext(options);
