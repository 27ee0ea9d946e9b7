using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ResticManager.BuildingBlocks;

/// <summary>Input rules shared by the services' validators.</summary>
public static class InputRules
{
    /// <summary>Longest id of any kind: agent ids and restic's full snapshot ids (64 hex digits).</summary>
    public const int MaxIdLength = 64;

    /// <summary>
    /// An id of any resource: 1 to <see cref="MaxIdLength"/> lowercase letters, digits, <c>-</c> or
    /// <c>_</c>. Every kind fits (<see cref="Ids"/>, agent ids, restic snapshot ids), and nothing that
    /// could be a path segment of its own (<c>.</c>, <c>..</c>, <c>/</c>) or a control character does.
    /// </summary>
    public static bool ValidId(string? id) =>
        id is { Length: > 0 and <= MaxIdLength } && id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_');

    /// <summary>
    /// A host name as RFC 1123 has it (plus <c>_</c>, which real machines use): dot-separated labels of
    /// letters, digits, <c>-</c> and <c>_</c>, each 1 to 63 characters and not starting or ending with
    /// <c>-</c>, at most 253 in all. It becomes
    /// restic's <c>--host</c> and shows up in the UI, so nothing else (NUL, line breaks, markup) gets in.
    /// </summary>
    public static bool ValidHostname(string? hostname) =>
        hostname is { Length: > 0 and <= 253 }
        && hostname.Split('.').All(label => label.Length is > 0 and <= 63 && label[0] != '-' && label[^1] != '-' && label.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'));

    /// <summary>Null, or at most 1000 non-empty entries of at most <paramref name="maxLength"/> characters without NUL.</summary>
    public static bool ValidList(IReadOnlyList<string>? values, int maxLength) =>
        values is null || (values.Count <= 1000 && values.All(v => !string.IsNullOrWhiteSpace(v) && v.Length <= maxLength && !v.Contains('\0', StringComparison.Ordinal)));
}
