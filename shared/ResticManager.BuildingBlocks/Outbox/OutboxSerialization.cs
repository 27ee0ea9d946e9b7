using System.Text.Json;

namespace ResticManager.BuildingBlocks;

/// <summary>How outbox rows name and hold their message: the same on the way in and out.</summary>
static class OutboxSerialization
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General);

    public static string NameOf(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";

    public static Type? Resolve(string name) => Type.GetType(name, throwOnError: false);
}
