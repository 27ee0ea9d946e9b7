using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ResticManager.Notifications;

sealed class DigestConfiguration : IEntityTypeConfiguration<DigestItem>, IEntityTypeConfiguration<DigestWindow>
{
    public void Configure(EntityTypeBuilder<DigestItem> e)
    {
        e.ToTable("digest_items");
        e.HasKey(i => i.Id);
        e.Property(i => i.RuleId).HasMaxLength(64);
        e.Property(i => i.HostId).HasMaxLength(64);
        e.Property(i => i.Severity).HasConversion<string>().HasMaxLength(16);
        e.HasIndex(i => new { i.RuleId, i.Id });
    }

    public void Configure(EntityTypeBuilder<DigestWindow> e)
    {
        e.ToTable("digest_windows");
        e.HasKey(w => w.RuleId);
        e.Property(w => w.RuleId).HasMaxLength(64);
        e.HasIndex(w => w.ClosesAt);
    }
}
