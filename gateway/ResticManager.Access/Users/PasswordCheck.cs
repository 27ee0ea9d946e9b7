namespace ResticManager.Access;

public enum PasswordCheck
{
    Wrong,
    Right,
    /// <summary>Right, but hashed with weaker settings than today's: store a new hash.</summary>
    RightRehash,
}
