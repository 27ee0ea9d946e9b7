using System.Collections.Concurrent;

namespace ResticManager.Access;

/// <summary>
/// Failed logins under usernames that name no user, counted like a real account's so that guessing
/// usernames meets the same lockout. Bounded: when full, expired entries go, and if none has expired
/// the map starts over (forgetting some guesses costs less than unbounded memory).
/// </summary>
public sealed class UnknownUserFailures
{
    public const int Capacity = 10_000;

    readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    public int Count => entries.Count;

    public bool IsLocked(string normalizedUsername, DateTime now) =>
        entries.TryGetValue(normalizedUsername, out var entry) && entry.LockedUntil > now;

    public void RecordFailure(string normalizedUsername, DateTime now, int maxFailures, TimeSpan lockout)
    {
        if (entries.Count >= Capacity && !entries.ContainsKey(normalizedUsername))
        {
            foreach (var expired in entries.Where(e => e.Value.LockedUntil is { } until ? until <= now : e.Value.Since <= now - lockout))
            {
                entries.TryRemove(expired.Key, out _);
            }

            if (entries.Count >= Capacity)
            {
                entries.Clear();
            }
        }

        entries.AddOrUpdate(
            normalizedUsername,
            _ => Next(new Entry(0, now, null), now, maxFailures, lockout),
            (_, entry) => Next(entry, now, maxFailures, lockout));
    }

    static Entry Next(Entry entry, DateTime now, int maxFailures, TimeSpan lockout)
    {
        if (entry.LockedUntil > now)
        {
            return entry;
        }

        var failures = entry.LockedUntil is null ? entry.Failures + 1 : 1;
        return failures >= maxFailures ? new Entry(0, now, now + lockout) : new Entry(failures, entry.Since, null);
    }

    sealed record Entry(int Failures, DateTime Since, DateTime? LockedUntil);
}
