using Microsoft.Extensions.Configuration;

namespace ResticManager.ServiceDefaults;

/// <summary>
/// Reads a choice such as <c>Bus:Transport</c> by name only. The configuration binder would also
/// take a number (<c>5</c> for a transport that does not exist) and name neither the allowed values
/// nor, for an undefined number, the key; a wrong value here stops the process with both.
/// </summary>
public static class ConfigurationEnums
{
    public static TEnum GetEnum<TEnum>(this IConfiguration configuration, string key, TEnum defaultValue)
        where TEnum : struct, Enum
    {
        var value = configuration[key]?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return defaultValue;
        }

        var name = Enum.GetNames<TEnum>().FirstOrDefault(n => string.Equals(n, value, StringComparison.OrdinalIgnoreCase));
        return name is not null
            ? Enum.Parse<TEnum>(name)
            : throw new InvalidOperationException($"Configuration {key} is '{value}'; use one of: {string.Join(", ", Enum.GetNames<TEnum>())}.");
    }
}
