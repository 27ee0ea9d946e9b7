using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ResticManager.Notifications;

sealed class DeliveryConfiguration : IEntityTypeConfiguration<Delivery>
{
    public void Configure(EntityTypeBuilder<Delivery> e)
    {
        e.ToTable("deliveries");
        e.HasKey(d => d.Id);
        e.Property(d => d.Id).HasMaxLength(64);
        e.Property(d => d.ChannelId).HasMaxLength(64);
        e.Property(d => d.RuleId).HasMaxLength(64);
        e.Property(d => d.HostId).HasMaxLength(64);
        e.Property(d => d.Title).HasMaxLength(Delivery.MaxTitleLength);
        e.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        e.Property(d => d.LastAnswer).HasMaxLength(Delivery.MaxAnswerLength);
        // The dispatcher's question (due pending rows), and the history's filters, newest first.
        e.HasIndex(d => new { d.Status, d.NextAttemptAt });
        e.HasIndex(d => new { d.ChannelId, d.Id });
        e.HasIndex(d => new { d.RuleId, d.Id });
        e.HasIndex(d => new { d.Status, d.Id });
    }
}
