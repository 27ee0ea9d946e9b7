using Microsoft.EntityFrameworkCore;

namespace ResticManager.Testing;

/// <summary>OpenIddict's own tables (applications, authorizations, scopes, tokens) and nothing else.</summary>
sealed class OidcProviderDbContext(DbContextOptions<OidcProviderDbContext> options) : DbContext(options);
