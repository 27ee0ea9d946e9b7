using System.Text.Json;

namespace ResticManager.BuildingBlocks;

/// <summary>
/// An enum read from the query string exactly as a request body reads it: the names the API writes
/// (<c>?status=online</c>), case-insensitive like the body converter, never a number and never a
/// comma-separated list (the body converter would read <c>running,queued</c> as the bitwise union of
/// the two, which for a filter is a silently wrong answer). Minimal APIs
/// bind it through <see cref="TryParse"/>; a value that does not parse makes the binder throw, and
/// ServiceDefaults' bad-request handler answers a 400 naming the query field and
/// <see cref="AllowedValues"/>. Declare the parameter as <c>QueryEnum&lt;HostStatus&gt;? status</c> and
/// read <c>status?.Value</c>.
/// </summary>
public readonly record struct QueryEnum<TEnum>(TEnum Value)
    where TEnum : struct, Enum
{
    public static IReadOnlyList<string> AllowedValues { get; } = ApiJson.EnumNames(typeof(TEnum));

    public static bool TryParse(string? value, out QueryEnum<TEnum> result)
    {
        result = default;
        if (string.IsNullOrEmpty(value) || value.Contains(',', StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            // Through the body's own converter, so the two can never disagree on what a name is.
            result = new QueryEnum<TEnum>(JsonSerializer.Deserialize<TEnum>(JsonSerializer.SerializeToUtf8Bytes(value, ApiJson.Options), ApiJson.Options));
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Why <paramref name="value"/> is refused, or null when it parses.</summary>
    public static string? Refusal(string? value) =>
        TryParse(value, out _) ? null : "must be one of: " + string.Join(", ", AllowedValues);

    public override string ToString() => JsonSerializer.SerializeToElement(Value, ApiJson.Options).GetString()!;
}
