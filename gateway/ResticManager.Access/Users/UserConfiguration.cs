using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ResticManager.Access;

sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> e)
    {
        e.ToTable("users");
        e.HasKey(u => u.Id);
        e.Property(u => u.Id).HasMaxLength(32);
        e.Property(u => u.Username).HasMaxLength(UserNames.MaxLength);
        e.Property(u => u.NormalizedUsername).HasMaxLength(UserNames.MaxLength);
        e.Property(u => u.DisplayName).HasMaxLength(200);
        e.Property(u => u.PasswordHash).HasMaxLength(400);
        e.Property(u => u.Grants).HasMaxLength(4000);
        e.Property(u => u.ExternalIssuer).HasMaxLength(300);
        e.Property(u => u.ExternalSubject).HasMaxLength(255);
        e.HasIndex(u => u.NormalizedUsername).IsUnique();
        e.HasIndex(u => new { u.ExternalIssuer, u.ExternalSubject }).IsUnique();
    }
}
