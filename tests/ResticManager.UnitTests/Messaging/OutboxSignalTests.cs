using ResticManager.BuildingBlocks;
using ResticManager.Inventory;
using ResticManager.Jobs;

namespace ResticManager.UnitTests.Messaging;

public sealed class OutboxSignalTests
{
    [Fact]
    public void A_commit_wakes_the_dispatcher_of_its_own_database_only()
    {
        var signal = new OutboxSignal();
        var jobs = signal.Register(typeof(JobsDbContext));
        var inventory = signal.Register(typeof(InventoryDbContext));

        // The committing context is the provider's subclass of the service's context.
        signal.Notify(typeof(JobsSqliteDbContext));
        signal.Notify(typeof(JobsSqliteDbContext));

        Assert.Equal(1, jobs.CurrentCount);
        Assert.Equal(0, inventory.CurrentCount);
    }
}
