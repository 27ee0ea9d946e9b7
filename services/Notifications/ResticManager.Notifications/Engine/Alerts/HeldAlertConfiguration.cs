using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ResticManager.Notifications;

sealed class HeldAlertConfiguration : IEntityTypeConfiguration<HeldAlert>
{
    public void Configure(EntityTypeBuilder<HeldAlert> e)
    {
        e.ToTable("held_alerts");
        e.HasKey(a => new { a.RuleId, a.Key });
        e.Property(a => a.RuleId).HasMaxLength(64);
        e.Property(a => a.Key).HasMaxLength(200);
        e.Property(a => a.HostId).HasMaxLength(64);
        e.Property(a => a.Event).HasConversion<string>().HasMaxLength(32);
        e.HasIndex(a => a.DueAt);
        e.HasIndex(a => a.Key);
    }
}
