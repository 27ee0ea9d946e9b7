using MassTransit;
using Microsoft.EntityFrameworkCore;
using ResticManager.Contracts;

namespace ResticManager.Access;

/// <summary>Stores each <see cref="OperatorActed"/> once: a redelivered event finds its row and changes nothing.</summary>
public sealed class OperatorActedConsumer(AccessDbContext db) : IConsumer<OperatorActed>
{
    public async Task Consume(ConsumeContext<OperatorActed> context)
    {
        var entry = AuditEntries.From(context.Message);
        if (await db.AuditEntries.AnyAsync(e => e.Id == entry.Id, context.CancellationToken))
        {
            return;
        }

        db.AuditEntries.Add(entry);
        try
        {
            await db.SaveChangesAsync(context.CancellationToken);
        }
        catch (DbUpdateException)
        {
            // A concurrent delivery of the same event may have stored it first; anything else is retried.
            db.ChangeTracker.Clear();
            if (!await db.AuditEntries.AnyAsync(e => e.Id == entry.Id, context.CancellationToken))
            {
                throw;
            }
        }
    }
}
