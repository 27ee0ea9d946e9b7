namespace ResticManager.BuildingBlocks;

/// <summary>
/// One asynchronous lock per key (a host, a trigger), held only while someone uses it: an entry is
/// removed when its last holder or waiter leaves, so a fleet of hosts does not leave a semaphore each behind.
/// With <c>holders</c> above one it bounds concurrency per key instead (queries in flight per agent).
/// </summary>
public sealed class KeyedLock<TKey> where TKey : notnull
{
    readonly Dictionary<TKey, Entry> entries;
    readonly int holders;

    public KeyedLock(IEqualityComparer<TKey>? comparer = null, int holders = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(holders, 1);
        entries = new Dictionary<TKey, Entry>(comparer);
        this.holders = holders;
    }

    /// <summary>Number of keys currently held or waited for.</summary>
    public int Count
    {
        get
        {
            lock (entries)
            {
                return entries.Count;
            }
        }
    }

    public async Task<IDisposable> AcquireAsync(TKey key, CancellationToken ct)
    {
        Entry entry;
        lock (entries)
        {
            if (!entries.TryGetValue(key, out entry!))
            {
                entry = new Entry(holders);
                entries[key] = entry;
            }

            entry.Users++;
        }

        try
        {
            await entry.Semaphore.WaitAsync(ct);
        }
        catch
        {
            Leave(key, entry);
            throw;
        }

        return new Releaser(this, key, entry);
    }

    void Leave(TKey key, Entry entry)
    {
        lock (entries)
        {
            if (--entry.Users == 0)
            {
                entries.Remove(key);
            }
        }
    }

    sealed class Entry(int holders)
    {
        public readonly SemaphoreSlim Semaphore = new(holders, holders);
        public int Users;
    }

    sealed class Releaser(KeyedLock<TKey> owner, TKey key, Entry entry) : IDisposable
    {
        int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                entry.Semaphore.Release();
                owner.Leave(key, entry);
            }
        }
    }
}
