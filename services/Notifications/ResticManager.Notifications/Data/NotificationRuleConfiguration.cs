using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ResticManager.BuildingBlocks;

namespace ResticManager.Notifications;

sealed class NotificationRuleConfiguration : IEntityTypeConfiguration<NotificationRule>
{
    public void Configure(EntityTypeBuilder<NotificationRule> e)
    {
        e.ToTable("notification_rules");
        e.HasKey(r => r.Id);
        e.Property(r => r.Id).HasMaxLength(InputRules.MaxIdLength);
        e.Property(r => r.Name).HasMaxLength(NotificationInput.MaxNameLength);
        // JSON arrays (["JobFailed", …], ["<channel id>", …]): a query can still ask which rules hold an
        // event or a channel (json_each / OPENJSON), as the channel delete does for its 409.
        e.PrimitiveCollection(r => r.Events).ElementType(t => t.HasConversion<string>());
        e.PrimitiveCollection(r => r.ChannelIds);
        e.Property(r => r.Scope).HasMaxLength(200);
        // Ticks: SQL Server's time type stops short of a day, and minDuration goes up to 7d.
        e.Property(r => r.MinDuration).HasConversion<long?>();
        e.Property(r => r.DigestEvery).HasConversion<long?>();
        e.Property(r => r.Version).IsConcurrencyToken();
    }
}
