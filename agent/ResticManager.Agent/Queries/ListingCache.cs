using System.Diagnostics.CodeAnalysis;

namespace ResticManager.Agent.Queries;

/// <summary>
/// Whole answers of restic kept for paging, least recently used first out, bounded by their total
/// weight, the number of items each holds (an answer heavier than the bound is not kept). Answers about snapshots never go
/// stale (a snapshot never changes); those that depend on the set of snapshots get a maximum age.
/// </summary>
public sealed class ListingCache<T>(long maxWeight, TimeSpan? maxAge, TimeProvider time)
{
    sealed record Entry(string Key, T Value, int Weight, long StoredAt);

    readonly Dictionary<string, LinkedListNode<Entry>> byKey = new(StringComparer.Ordinal);
    readonly LinkedList<Entry> recency = new();
    readonly object gate = new();
    long weight;

    public long Weight
    {
        get
        {
            lock (gate)
            {
                return weight;
            }
        }
    }

    public bool TryGet(string key, [MaybeNullWhen(false)] out T value)
    {
        lock (gate)
        {
            if (byKey.TryGetValue(key, out var node))
            {
                if (maxAge is { } age && time.GetElapsedTime(node.Value.StoredAt) > age)
                {
                    Remove(node);
                }
                else
                {
                    recency.Remove(node);
                    recency.AddFirst(node);
                    value = node.Value.Value;
                    return true;
                }
            }
        }

        value = default;
        return false;
    }

    /// <summary>The kept answer for <paramref name="key"/>, else <paramref name="load"/>'s, kept with the weight <paramref name="itemCount"/> gives it. Failures are not kept.</summary>
    public async Task<T> GetOrLoadAsync(string key, Func<Task<T>> load, Func<T, int> itemCount)
    {
        if (TryGet(key, out var kept))
        {
            return kept;
        }

        var loaded = await load();
        Add(key, loaded, itemCount(loaded));
        return loaded;
    }

    public void Add(string key, T value, int itemCount)
    {
        if (itemCount > maxWeight)
        {
            return;
        }

        lock (gate)
        {
            if (byKey.TryGetValue(key, out var existing))
            {
                Remove(existing);
            }

            var node = recency.AddFirst(new Entry(key, value, itemCount, time.GetTimestamp()));
            byKey[key] = node;
            weight += itemCount;
            while (weight > maxWeight && recency.Last is { } oldest)
            {
                Remove(oldest);
            }
        }
    }

    void Remove(LinkedListNode<Entry> node)
    {
        recency.Remove(node);
        byKey.Remove(node.Value.Key);
        weight -= node.Value.Weight;
    }
}
