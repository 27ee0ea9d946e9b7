using System.Data.Common;
using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;
using ResticManager.Inventory;

namespace ResticManager.UnitTests;

/// <summary>A burst of presence changes (a fleet reconnecting) leaves the outbox in rounds of a batch: one read and one delete each, not a round trip per row.</summary>
public sealed class OutboxBurstTests
{
    const int Rows = 10_000;

    [Fact]
    public async Task Ten_thousand_host_state_changes_are_published_in_rounds_of_the_batch_size()
    {
        await using var database = await SqliteTestDatabase<InventorySqliteDbContext>.CreateAsync("inventory");
        var statements = new OutboxStatementCounter();
        var services = new ServiceCollection()
            .AddLogging()
            .AddMetrics()
            .AddScoped<InventoryDbContext>(_ => new InventorySqliteDbContext(new DbContextOptionsBuilder<InventorySqliteDbContext>(database.Options).AddInterceptors(statements).Options))
            .AddSingleton<OutboxSignal>()
            .AddSingleton<OutboxMetrics>()
            .AddSingleton<IHostApplicationLifetime, ApplicationLifetime>()
            .AddMassTransitTestHarness()
            .BuildServiceProvider();
        await using var _ = services;
        var harness = services.GetTestHarness();
        await harness.Start();

        await using (var db = database.Open())
        {
            var at = new DateTime(2026, 11, 30, 10, 0, 0, DateTimeKind.Utc);
            for (var i = 0; i < Rows; i++)
            {
                db.AddToOutbox(new HostStateChanged($"host-{i:D5}", $"host-{i:D5}", HostState.Offline, HostState.Online, 2, at));
            }

            await db.SaveChangesAsync();
        }

        var dispatcher = ActivatorUtilities.CreateInstance<OutboxDispatcher<InventoryDbContext>>(services);
        var batchSize = new OutboxOptions().BatchSize;
        var before = statements.Count;
        var rounds = 0;
        OutboxDispatcher<InventoryDbContext>.Round round;
        do
        {
            round = await dispatcher.PublishBatchAsync(CancellationToken.None);
            Assert.Equal(0, round.Failed);
            rounds++;
        }
        while (round.More);

        Assert.Equal(Rows / batchSize + 1, rounds); // the last full round cannot know it was the last
        // Per full round: read the batch, delete it, count what is left for the metric; the empty one reads once.
        Assert.True(statements.Count - before <= 3 * rounds, $"{statements.Count - before} statements in {rounds} rounds");
        Assert.Equal(Rows, harness.Published.Select<HostStateChanged>().Count());
        await using (var db = database.Open())
        {
            Assert.Equal(0, await db.Set<OutboxMessage>().CountAsync());
        }
    }

    sealed class OutboxStatementCounter : DbCommandInterceptor
    {
        int count;

        public int Count => Volatile.Read(ref count);

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Counted(command);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Counted(command);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            Counted(command);
            return ValueTask.FromResult(result);
        }

        void Counted(DbCommand command)
        {
            if (command.CommandText.Contains("outbox_messages", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref count);
            }
        }
    }
}
