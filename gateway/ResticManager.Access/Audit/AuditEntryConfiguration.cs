using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ResticManager.Access;

/// <summary>
/// The audit_entries table: one index per filter of <c>GET /api/audit</c> (at, actor, host, action); the
/// lengths are those <see cref="AuditEntries.From"/> cuts values to, and keep every indexed column within
/// SQL Server's 900-byte index key limit.
/// </summary>
public sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public const int IdLength = 128;
    public const int ActorLength = 128;
    public const int ActorNameLength = 200;
    public const int GrantsLength = 4000;
    public const int ActionLength = 300;
    public const int HostIdLength = 128;
    public const int TargetsLength = 4000;
    public const int DetailLength = 2000;
    public const int ClientAddressLength = 64;

    public void Configure(EntityTypeBuilder<AuditEntry> e)
    {
        e.ToTable("audit_entries");
        e.HasKey(a => a.Id);
        e.Property(a => a.Id).HasMaxLength(IdLength);
        e.Property(a => a.ActorId).HasMaxLength(ActorLength);
        e.Property(a => a.ActorName).HasMaxLength(ActorNameLength);
        e.Property(a => a.ActorGrants).HasMaxLength(GrantsLength);
        e.Property(a => a.Action).HasMaxLength(ActionLength);
        e.Property(a => a.HostId).HasMaxLength(HostIdLength);
        e.Property(a => a.Targets).HasMaxLength(TargetsLength);
        e.Property(a => a.Detail).HasMaxLength(DetailLength);
        e.Property(a => a.ClientAddress).HasMaxLength(ClientAddressLength);
        e.HasIndex(a => a.At);
        e.HasIndex(a => a.ActorId);
        e.HasIndex(a => a.HostId);
        e.HasIndex(a => a.Action);
    }
}
