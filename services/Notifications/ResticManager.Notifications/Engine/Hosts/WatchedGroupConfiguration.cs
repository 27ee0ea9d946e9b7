using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ResticManager.Notifications;

sealed class WatchedGroupConfiguration : IEntityTypeConfiguration<WatchedGroup>
{
    public void Configure(EntityTypeBuilder<WatchedGroup> e)
    {
        e.ToTable("watched_groups");
        e.HasKey(g => new { g.HostId, g.SourceGroupId });
        e.Property(g => g.HostId).HasMaxLength(64);
        e.Property(g => g.SourceGroupId).HasMaxLength(64);
        e.Property(g => g.Name).HasMaxLength(200);
    }
}
