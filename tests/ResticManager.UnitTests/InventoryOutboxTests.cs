using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;
using ResticManager.Inventory;
using ResticManager.ServiceDefaults;

namespace ResticManager.UnitTests;

/// <summary>The inventory's events are written with the change they announce, in one transaction, or not at all.</summary>
public sealed class InventoryOutboxTests : IAsyncLifetime
{
    SqliteTestDatabase<InventorySqliteDbContext> database = null!;
    InventoryDbContext db = null!;
    static readonly DateTime T0 = new(2026, 11, 29, 10, 0, 0, DateTimeKind.Utc);

    public async Task InitializeAsync()
    {
        database = await SqliteTestDatabase<InventorySqliteDbContext>.CreateAsync("inventory");
        db = database.Open();
        db.EnrollmentTokens.Add(new EnrollmentToken { Id = "t1", TokenHash = SecretTokens.Hash("rme_once"), CreatedAt = T0, ExpiresAt = T0.AddHours(1) });
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync()
    {
        await db.DisposeAsync();
        await database.DisposeAsync();
    }

    static Host NewHost(string id) => new()
    {
        Id = id, Hostname = id, Os = "linux", Arch = "amd64", Status = HostStatus.Pending, EnrolledAt = T0, CredentialHash = "x",
    };

    [Fact]
    public async Task Enrolling_writes_the_host_and_its_event_together_and_a_used_token_writes_neither()
    {
        Assert.Equal(EnrollmentOutcome.Enrolled, await HostEnrollment.EnrollAsync(db, "rme_once", NewHost("h1"), default));
        Assert.Equal(EnrollmentOutcome.TokenInvalid, await HostEnrollment.EnrollAsync(db, "rme_once", NewHost("h2"), default));

        Assert.Equal(["h1"], await db.Hosts.AsNoTracking().Select(h => h.Id).ToListAsync());
        var row = Assert.Single(await db.Set<OutboxMessage>().AsNoTracking().ToListAsync());
        Assert.StartsWith(typeof(HostEnrolled).FullName!, row.Type, StringComparison.Ordinal);
        var enrolled = JsonSerializer.Deserialize<HostEnrolled>(row.Body)!;
        Assert.Equal("h1", enrolled.AgentId);
        Assert.Equal(T0, enrolled.EnrolledAt.UtcDateTime);
    }
}
