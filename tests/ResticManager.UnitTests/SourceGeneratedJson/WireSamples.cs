using System.Collections;
using System.Reflection;
using System.Text.Json;

namespace ResticManager.UnitTests.SourceGeneratedJson;

/// <summary>
/// A value of any wire type with every member set (constructor parameters and settable properties), so that a
/// serializer which drops, renames or reorders a member writes different bytes. Strings carry characters that
/// need escaping.
/// </summary>
public static class WireSamples
{
    public static object Of(Type type) => Of(type, depth: 0);

    static object Of(Type type, int depth)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Of(underlying, depth);
        }

        if (type == typeof(string))
        {
            return "a \"quoted\" é+<tag> & ✓ text";
        }

        if (type == typeof(int) || type == typeof(uint) || type == typeof(short))
        {
            return Convert.ChangeType(7, type, System.Globalization.CultureInfo.InvariantCulture);
        }

        if (type == typeof(long) || type == typeof(ulong))
        {
            return Convert.ChangeType(1234567890123L, type, System.Globalization.CultureInfo.InvariantCulture);
        }

        if (type == typeof(double))
        {
            return 0.375;
        }

        if (type == typeof(bool))
        {
            return true;
        }

        if (type == typeof(DateTimeOffset))
        {
            return new DateTimeOffset(2026, 11, 30, 5, 4, 3, 210, TimeSpan.Zero);
        }

        if (type == typeof(Guid))
        {
            return Guid.Parse("01234567-89ab-cdef-0123-456789abcdef");
        }

        if (type == typeof(JsonElement))
        {
            using var doc = JsonDocument.Parse("""{"files_new":3,"nested":{"list":[true,null,"x"]},"ratio":1.5}""");
            return doc.RootElement.Clone();
        }

        if (type.IsEnum)
        {
            // The last member: never the default, so a number-or-name mistake shows.
            var values = Enum.GetValues(type);
            return values.GetValue(values.Length - 1)!;
        }

        if (type.IsGenericType && DictionaryOf(type) is { } pair)
        {
            var dictionary = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(pair.Key, pair.Value))!;
            dictionary.Add(Of(pair.Key, depth + 1), Of(pair.Value, depth + 1));
            return dictionary;
        }

        if (type.IsGenericType && ElementOf(type) is { } element)
        {
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
            list.Add(Of(element, depth + 1));
            list.Add(Of(element, depth + 1));
            return list;
        }

        if (depth > 8)
        {
            throw new InvalidOperationException($"{type} nests too deep for a sample");
        }

        return Record(type, depth);
    }

    static object Record(Type type, int depth)
    {
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault();
        var value = constructor is null
            ? Activator.CreateInstance(type)!
            : constructor.Invoke([.. constructor.GetParameters().Select(p => Of(p.ParameterType, depth + 1))]);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is { IsPublic: true } && property.GetIndexParameters().Length == 0 && property.GetValue(value) is null)
            {
                property.SetValue(value, Of(property.PropertyType, depth + 1));
            }
        }

        return value;
    }

    static Type? ElementOf(Type type)
    {
        var definition = type.GetGenericTypeDefinition();
        return definition == typeof(IReadOnlyList<>) || definition == typeof(List<>) || definition == typeof(IList<>)
            || definition == typeof(IEnumerable<>) || definition == typeof(ICollection<>) || definition == typeof(IReadOnlyCollection<>)
            ? type.GetGenericArguments()[0]
            : null;
    }

    static KeyValuePair<Type, Type>? DictionaryOf(Type type)
    {
        var definition = type.GetGenericTypeDefinition();
        return definition == typeof(IReadOnlyDictionary<,>) || definition == typeof(Dictionary<,>) || definition == typeof(IDictionary<,>)
            ? new KeyValuePair<Type, Type>(type.GetGenericArguments()[0], type.GetGenericArguments()[1])
            : null;
    }
}
