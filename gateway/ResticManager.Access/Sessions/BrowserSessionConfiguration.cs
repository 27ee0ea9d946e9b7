using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ResticManager.Access;

sealed class BrowserSessionConfiguration : IEntityTypeConfiguration<BrowserSession>
{
    public void Configure(EntityTypeBuilder<BrowserSession> e)
    {
        e.ToTable("sessions");
        e.HasKey(s => s.SecretHash);
        e.Property(s => s.SecretHash).HasMaxLength(64);
        e.Property(s => s.UserId).HasMaxLength(32);
        e.HasIndex(s => s.UserId);
        e.HasOne<User>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
