using Microsoft.EntityFrameworkCore;

namespace ResticManager.Jobs;

/// <summary>
/// SQLite lets one writer in at a time, and Microsoft.Data.Sqlite waits for a busy database by putting
/// its thread to sleep 150 ms at a time and trying again: writers that collide lose whole sleeps, and
/// under a burst each of them collides. So the jobs service's hot writers (agent report batches,
/// dispatch, presence) take turns here, waiting asynchronously for the one before them instead. With
/// SQL Server, which locks rows, nothing waits here.
/// </summary>
public sealed class JobsWriteGate
{
    readonly SemaphoreSlim turn = new(1, 1);

    /// <summary>Waits for this process's turn to write to <paramref name="db"/>; disposing the answer ends it.</summary>
    public async Task<IDisposable> EnterAsync(DbContext db, CancellationToken ct)
    {
        if (!db.Database.IsSqlite())
        {
            return NoTurn.Instance;
        }

        await turn.WaitAsync(ct);
        return new Turn(turn);
    }

    sealed class Turn(SemaphoreSlim turn) : IDisposable
    {
        int ended;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref ended, 1) == 0)
            {
                turn.Release();
            }
        }
    }

    sealed class NoTurn : IDisposable
    {
        public static readonly NoTurn Instance = new();

        public void Dispose()
        {
        }
    }
}
