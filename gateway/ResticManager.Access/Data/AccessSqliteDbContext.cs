using Microsoft.EntityFrameworkCore;

namespace ResticManager.Access;

public sealed class AccessSqliteDbContext(DbContextOptions<AccessSqliteDbContext> options) : AccessDbContext(options);
