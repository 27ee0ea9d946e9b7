using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ResticManager.BuildingBlocks;

namespace ResticManager.Notifications;

sealed class NotificationChannelConfiguration : IEntityTypeConfiguration<NotificationChannel>
{
    public void Configure(EntityTypeBuilder<NotificationChannel> e)
    {
        e.ToTable("notification_channels");
        e.HasKey(c => c.Id);
        e.Property(c => c.Id).HasMaxLength(InputRules.MaxIdLength);
        e.Property(c => c.Name).HasMaxLength(NotificationInput.MaxNameLength);
        e.Property(c => c.Kind).HasConversion<string>().HasMaxLength(16);
        e.Property(c => c.SecretNames).HasMaxLength(1000);
        e.Property(c => c.Version).IsConcurrencyToken();
    }
}
