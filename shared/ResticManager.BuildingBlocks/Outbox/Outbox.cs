using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace ResticManager.BuildingBlocks;

/// <summary>
/// The transactional outbox (as eShop's integration event log): a service writes the bus events
/// that follow a database change into its own <c>outbox_messages</c> table, in the same transaction
/// as the change, and <see cref="OutboxDispatcher{TContext}"/> publishes them afterwards, at least
/// once. A publish that fails after the commit (the broker restarting) is retried until it goes
/// through; consumers are idempotent, so a repeat is harmless, and a commit that never happens
/// publishes nothing.
/// </summary>
public static class Outbox
{
    public static ModelBuilder AddOutbox(this ModelBuilder model)
    {
        model.Entity<OutboxMessage>(e =>
        {
            e.ToTable("outbox_messages");
            e.HasKey(m => m.Id);
            e.Property(m => m.Id).ValueGeneratedOnAdd();
            e.Property(m => m.Type).HasMaxLength(256);
        });
        return model;
    }

    /// <summary>Adds <paramref name="message"/> to the outbox: the next <c>SaveChanges</c> writes it with the rest of the change.</summary>
    public static void AddToOutbox<T>(this DbContext db, T message) where T : class =>
        db.Set<OutboxMessage>().Add(new OutboxMessage
        {
            Type = OutboxSerialization.NameOf(typeof(T)),
            Body = JsonSerializer.Serialize(message, OutboxSerialization.Options),
            CreatedAt = DateTime.UtcNow,
        });

    /// <summary>
    /// Runs <paramref name="work"/> and saves its tracked changes in one transaction, under the
    /// provider's execution strategy (SQL Server retries the whole unit, so the work starts from a
    /// clean change tracker each time). Conditional <c>ExecuteUpdate</c> calls inside join the transaction.
    /// </summary>
    public static Task<T> InTransactionAsync<T>(this DbContext db, Func<Task<T>> work, CancellationToken ct) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var result = await work();
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return result;
        });

    public static Task InTransactionAsync(this DbContext db, Func<Task> work, CancellationToken ct) =>
        db.InTransactionAsync(async () =>
        {
            await work();
            return true;
        }, ct);
}
