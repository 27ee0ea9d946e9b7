using System.Text.Json;
using System.Text.Json.Serialization;

namespace ResticManager.BuildingBlocks;

/// <summary>
/// The API's JSON conventions in one place: camelCase names, enums as camelCase strings (never
/// numbers), nulls omitted. Request bodies, responses and query values all read and write through
/// these, so a value accepted in one place is accepted in the others.
/// </summary>
public static class ApiJson
{
    /// <summary>Options configured by <see cref="Configure"/>, for reading values outside a request body.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
    }

    /// <summary>Every value of <paramref name="enumType"/> as the API writes it, in declaration order.</summary>
    public static IReadOnlyList<string> EnumNames(Type enumType) =>
        Enum.GetValues(enumType).Cast<object>()
            .Select(v => JsonSerializer.SerializeToElement(v, enumType, Options).GetString()!)
            .Distinct(StringComparer.Ordinal)
            .ToList();

    static JsonSerializerOptions CreateOptions()
    {
        // The web defaults are what ASP.NET Core starts request bodies from (case-insensitive names).
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
