using System.Collections.Concurrent;
using System.Text.Json;

namespace ResticManager.BuildingBlocks;

/// <summary>How outbox rows name and hold their message: the same on the way in and out.</summary>
static class OutboxSerialization
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General);

    public static string NameOf(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";

    /// <summary>Resolved once per name: a burst of thousands of rows of a few contracts would otherwise look each up again.</summary>
    static readonly ConcurrentDictionary<string, Type?> Resolved = new(StringComparer.Ordinal);

    public static Type? Resolve(string name) => Resolved.GetOrAdd(name, n => Type.GetType(n, throwOnError: false));
}
