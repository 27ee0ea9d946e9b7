using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ResticManager.BuildingBlocks;

namespace ResticManager.Notifications;

/// <summary>
/// Reads and checks a channel's settings object: each rule records its problem as
/// <c>settings.&lt;name&gt;</c>, and the readers used when sending trust what <c>Validate</c> let in.
/// </summary>
public static class ChannelSettings
{
    /// <summary>Longest text setting (URLs, tokens, addresses, header values).</summary>
    public const int MaxLength = 2048;

    public static string Field(string name) => "settings." + name;

    /// <summary>A string setting, or null when absent, null or not a string.</summary>
    public static string? Text(JsonObject settings, string name) =>
        settings[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary>A whole-number setting, or null when absent or not a number.</summary>
    public static int? Number(JsonObject settings, string name) =>
        settings[name] is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var number) ? number : null;

    /// <summary>Records every setting name the kind does not know (a typo would otherwise be ignored silently).</summary>
    public static void OnlyKnown(JsonObject settings, FieldErrors errors, params string[] known)
    {
        foreach (var (name, _) in settings)
        {
            errors.Require(known.Contains(name, StringComparer.Ordinal), Field(name), "is not a setting of this channel kind (known: " + string.Join(", ", known) + ")");
        }
    }

    /// <summary>A string of 1 to <see cref="MaxLength"/> characters without control characters; false when absent or invalid.</summary>
    public static bool RequireText(JsonObject settings, string name, FieldErrors errors, bool required = true, int maxLength = MaxLength)
    {
        var node = settings[name];
        if (node is null)
        {
            errors.Require(!required, Field(name), "is required");
            return false;
        }

        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            errors.Require(false, Field(name), "must be a string");
            return false;
        }

        var text = value.GetValue<string>();
        var ok = !string.IsNullOrWhiteSpace(text) && text.Length <= maxLength && !text.Any(char.IsControl);
        errors.Require(ok, Field(name), $"must be 1 to {maxLength} characters without control characters");
        return ok;
    }

    /// <summary>An absolute http or https URL without user information.</summary>
    public static bool RequireUrl(JsonObject settings, string name, FieldErrors errors, bool required = true)
    {
        if (!RequireText(settings, name, errors, required))
        {
            return false;
        }

        var ok = Uri.TryCreate(Text(settings, name), UriKind.Absolute, out var url)
            && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            && string.IsNullOrEmpty(url.UserInfo) && string.IsNullOrEmpty(url.Fragment);
        errors.Require(ok, Field(name), "must be an absolute http:// or https:// URL without user information or fragment");
        return ok;
    }

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static bool RequireNumber(JsonObject settings, string name, FieldErrors errors, int min, int max, bool required = true)
    {
        var node = settings[name];
        if (node is null)
        {
            errors.Require(!required, Field(name), "is required");
            return false;
        }

        var ok = Number(settings, name) is { } number && number >= min && number <= max;
        errors.Require(ok, Field(name), string.Create(CultureInfo.InvariantCulture, $"must be a whole number from {min} to {max}"));
        return ok;
    }

    /// <summary>One of <paramref name="allowed"/> (exact, camelCase as in the API).</summary>
    public static bool RequireOneOf(JsonObject settings, string name, FieldErrors errors, IReadOnlyList<string> allowed, bool required = true)
    {
        if (!RequireText(settings, name, errors, required))
        {
            return false;
        }

        var ok = allowed.Contains(Text(settings, name)!, StringComparer.Ordinal);
        errors.Require(ok, Field(name), "must be one of: " + string.Join(", ", allowed));
        return ok;
    }

    /// <summary><paramref name="url"/> with a path segment added (no doubled slash, query kept off).</summary>
    public static Uri Append(string url, string path) => new(url.TrimEnd('/') + "/" + path.TrimStart('/'));
}
