using System.Text.Json;
using System.Text.Json.Serialization;

namespace ResticManager.Protocol;

/// <summary>
/// A wire enum as its camelCase name, never as a number. One closed converter per enum: the open
/// <see cref="JsonStringEnumConverter"/> makes generic types at run time, which a NativeAOT agent cannot.
/// </summary>
public sealed class WireEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    where TEnum : struct, Enum;
