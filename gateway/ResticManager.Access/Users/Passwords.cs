using Microsoft.AspNetCore.Identity;

namespace ResticManager.Access;

/// <summary>
/// Local passwords: ASP.NET Core Identity's hasher (PBKDF2, salted, its format versioned so a stronger
/// default rehashes on the next login). Length 12 to 128 and no composition rules (ASVS 5.0 2.1).
/// </summary>
public sealed class Passwords
{
    public const int MinLength = 12;
    public const int MaxLength = 128;
    public const string Rule = "must be 12 to 128 characters";

    readonly PasswordHasher<User> hasher = new();
    readonly Lazy<string> dummyHash;

    public Passwords() =>
        // What an unknown user's attempt is checked against, so it costs what a known user's does.
        dummyHash = new Lazy<string>(() => hasher.HashPassword(null!, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24))));

    public static bool IsValid(string? password) => password is { Length: >= MinLength and <= MaxLength };

    public string Hash(string password) => hasher.HashPassword(null!, password);

    /// <summary>Checks <paramref name="password"/> against <paramref name="hash"/>, or against a dummy hash when there is none: the same work either way.</summary>
    public PasswordCheck Verify(string? hash, string password)
    {
        var result = hasher.VerifyHashedPassword(null!, hash ?? dummyHash.Value, password);
        return hash is null || result == PasswordVerificationResult.Failed ? PasswordCheck.Wrong
            : result == PasswordVerificationResult.SuccessRehashNeeded ? PasswordCheck.RightRehash
            : PasswordCheck.Right;
    }
}
