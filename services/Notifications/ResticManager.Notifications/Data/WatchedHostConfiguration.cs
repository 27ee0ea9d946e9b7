using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ResticManager.Notifications;

sealed class WatchedHostConfiguration : IEntityTypeConfiguration<WatchedHost>
{
    public void Configure(EntityTypeBuilder<WatchedHost> e)
    {
        e.ToTable("watched_hosts");
        e.HasKey(h => h.Id);
        e.Property(h => h.Id).HasMaxLength(64);
        e.Property(h => h.Hostname).HasMaxLength(255);
        e.Property(h => h.State).HasConversion<string>().HasMaxLength(16);
        e.Property(h => h.AgentVersion).HasMaxLength(128);
        e.Property(h => h.LastBackupJobId).HasMaxLength(64);
        e.Property(h => h.LastBackupStatus).HasConversion<string>().HasMaxLength(16);
        e.Property(h => h.LastBackupError).HasMaxLength(WatchedHost.MaxErrorLength);
    }
}
