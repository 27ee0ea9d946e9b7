using System.Text.RegularExpressions;

namespace ResticManager.ServiceDefaults;

/// <summary>
/// Host labels are <c>key=value</c>: the key 1–63 lowercase letters, digits, '.', '-', '_' or '/',
/// starting with a letter or digit; the value 0–63 letters, digits, '.', '-' or '_'. One rule for
/// the labels on hosts and the label scopes in grants, so a scope can always name a label.
/// </summary>
public static partial class HostLabels
{
    public const int MaxPerHost = 32;
    public const string Rule = "key=value; key: 1-63 of a-z 0-9 . - _ / starting with a letter or digit; value: up to 63 of A-Z a-z 0-9 . - _";

    public static bool IsValid(string? label) => label is not null && LabelPattern().IsMatch(label);

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._/-]{0,62}=[A-Za-z0-9._-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex LabelPattern();
}
