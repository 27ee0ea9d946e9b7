namespace ResticManager.Access;

/// <summary>
/// What a username may be: 1 to 100 letters, digits and <c>. _ - @ +</c> (an e-mail address fits),
/// compared without regard to case.
/// </summary>
public static class UserNames
{
    public const int MaxLength = 100;
    public const string Rule = "1 to 100 letters, digits or . _ - @ +";

    public static bool IsValid(string? username) =>
        username is { Length: > 0 and <= MaxLength } && username.All(c => char.IsLetterOrDigit(c) || c is '.' or '_' or '-' or '@' or '+');

    public static string Normalize(string username) => username.Trim().ToUpperInvariant();
}
