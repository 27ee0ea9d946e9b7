using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ResticManager.BuildingBlocks;

namespace ResticManager.ServiceDefaults;

/// <summary>
/// Turns a <see cref="JsonException"/> from reading a request body into one field error: the field
/// is the JSON path of the value (<c>paths</c>, <c>retention.keepLast</c>, <c>paths[1]</c>, or
/// <c>body</c> for the whole body and for JSON that does not parse), the reason says what the
/// field must be, derived from the body type's own serialization contract.
/// </summary>
public static class JsonBodyErrors
{
    public const string BodyField = "body";

    public static (string Field, string Message) Describe(JsonException exception, Type? bodyType, JsonSerializerOptions options)
    {
        if (IsSyntaxError(exception))
        {
            return (BodyField, $"is not valid JSON: {Reason(exception.InnerException!)} (line {exception.LineNumber + 1}, byte {exception.BytePositionInLine + 1})");
        }

        var segments = Segments(exception.Path);
        var field = segments.Count == 0 ? BodyField : string.Concat(segments.Select((s, i) => s.Index ? s.Text : i == 0 ? s.Text : "." + s.Text));
        var target = bodyType is null ? null : Resolve(options.GetTypeInfo(bodyType), segments, options);
        return (field, target is null ? "has an invalid value" : MustBe(target, options));
    }

    // The reader's own exception type is internal; its name is the only mark of a syntax error as
    // opposed to a value of the wrong kind, which carries no inner exception or a converter's.
    static bool IsSyntaxError(JsonException exception) =>
        exception.InnerException?.GetType().Name == "JsonReaderException";

    static string Reason(Exception readerError)
    {
        var message = readerError.Message;
        var position = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (position >= 0 ? message[..position] : message).TrimEnd('.', ' ');
    }

    static JsonTypeInfo? Resolve(JsonTypeInfo type, IReadOnlyList<Segment> segments, JsonSerializerOptions options)
    {
        var current = type;
        foreach (var segment in segments)
        {
            Type? next = current.Kind switch
            {
                JsonTypeInfoKind.Object when !segment.Index => current.Properties
                    .FirstOrDefault(p => string.Equals(p.Name, segment.Text, options.PropertyNameCaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))?.PropertyType,
                JsonTypeInfoKind.Enumerable when segment.Index => current.ElementType,
                JsonTypeInfoKind.Dictionary when !segment.Index => current.ElementType,
                _ => null,
            };
            if (next is null)
            {
                return null;
            }

            current = options.GetTypeInfo(next);
        }

        return current;
    }

    static string MustBe(JsonTypeInfo type, JsonSerializerOptions options) => type.Kind switch
    {
        JsonTypeInfoKind.Enumerable => "must be an array of " + Plural(options.GetTypeInfo(type.ElementType!), options),
        JsonTypeInfoKind.Dictionary => "must be an object whose values are " + Plural(options.GetTypeInfo(type.ElementType!), options),
        JsonTypeInfoKind.Object => "must be an object",
        _ => Scalar(type.Type) switch
        {
            { IsEnum: true } e => "must be one of: " + string.Join(", ", ApiJson.EnumNames(e)),
            var t when t == typeof(string) => "must be a string",
            var t when t == typeof(bool) => "must be true or false",
            var t when IsInteger(t) => "must be an integer",
            var t when t == typeof(double) || t == typeof(float) || t == typeof(decimal) => "must be a number",
            var t when t == typeof(DateTimeOffset) || t == typeof(DateTime) => "must be a date and time (ISO 8601)",
            var t when t == typeof(TimeSpan) => "must be a duration (hh:mm:ss)",
            var t when t == typeof(Guid) => "must be a UUID",
            _ => "has an invalid value",
        },
    };

    static string Plural(JsonTypeInfo element, JsonSerializerOptions options) => element.Kind switch
    {
        JsonTypeInfoKind.Enumerable => "arrays",
        JsonTypeInfoKind.Dictionary or JsonTypeInfoKind.Object => "objects",
        _ => Scalar(element.Type) switch
        {
            { IsEnum: true } e => "strings (one of: " + string.Join(", ", ApiJson.EnumNames(e)) + ")",
            var t when t == typeof(string) => "strings",
            var t when t == typeof(bool) => "booleans",
            var t when IsInteger(t) => "integers",
            _ => "values like " + MustBe(element, options)["must be ".Length..],
        },
    };

    static Type Scalar(Type type) => Nullable.GetUnderlyingType(type) ?? type;

    static bool IsInteger(Type type) =>
        type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte)
        || type == typeof(uint) || type == typeof(ulong) || type == typeof(ushort) || type == typeof(sbyte);

    /// <summary>Splits System.Text.Json's path (<c>$.a.b[0]['c d']</c>) into property names and indexes.</summary>
    static List<Segment> Segments(string? path)
    {
        var segments = new List<Segment>();
        if (string.IsNullOrEmpty(path) || path[0] != '$')
        {
            return segments;
        }

        var i = 1;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                segments.Add(new Segment(path[(i + 1)..end], false));
                i = end;
            }
            else if (i + 1 < path.Length && path[i] == '[' && path[i + 1] == '\'')
            {
                var end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                end = end < 0 ? path.Length : end;
                segments.Add(new Segment(path[(i + 2)..end], false));
                i = end + 2;
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i + 1);
                end = end < 0 ? path.Length : end;
                segments.Add(new Segment(path[i..Math.Min(end + 1, path.Length)], true));
                i = end + 1;
            }
            else
            {
                break;
            }
        }

        return segments;
    }

    readonly record struct Segment(string Text, bool Index);
}
