namespace ResticManager.BuildingBlocks;

/// <summary>
/// One asynchronous lock per key (a host, a trigger), held only while someone uses it: an entry is
/// removed when its last holder or waiter leaves, so a fleet of hosts does not leave a semaphore each behind.
/// </summary>
public sealed class KeyedLock<TKey> where TKey : notnull
{
    readonly Dictionary<TKey, Entry> entries;

    public KeyedLock(IEqualityComparer<TKey>? comparer = null) => entries = new Dictionary<TKey, Entry>(comparer);

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
                entry = new Entry();
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

    sealed class Entry
    {
        public readonly SemaphoreSlim Semaphore = new(1, 1);
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
