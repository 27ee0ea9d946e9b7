using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ResticManager.BuildingBlocks;

/// <summary>Input rules shared by the services' validators.</summary>
public static class InputRules
{
    /// <summary>Null, or at most 1000 non-empty entries of at most <paramref name="maxLength"/> characters without NUL.</summary>
    public static bool ValidList(IReadOnlyList<string>? values, int maxLength) =>
        values is null || (values.Count <= 1000 && values.All(v => !string.IsNullOrWhiteSpace(v) && v.Length <= maxLength && !v.Contains('\0', StringComparison.Ordinal)));
}
