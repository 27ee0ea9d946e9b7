namespace ResticManager.Agent.Storage.Protection;

/// <summary>
/// The Windows security descriptor of the agent's config folder, as SDDL: owned by Administrators, full
/// control for SYSTEM (the service) and Administrators (the operator who enrolls and upgrades), nothing
/// inherited from the parent (ProgramData grants Users read), inherited in turn by every file and folder
/// below. Pure strings, so it is tested where Windows is not.
/// </summary>
public static class ConfigFolderAcl
{
    public const string LocalSystem = "SY";
    public const string Administrators = "BA";

    static readonly string[] Trustees = [LocalSystem, Administrators];

    /// <summary><c>O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)</c>.</summary>
    public static string Sddl { get; } = Build(owner: Administrators, group: LocalSystem, fullControl: Trustees);

    /// <summary>
    /// An SDDL with <paramref name="owner"/>, <paramref name="group"/> and a protected DACL (P: the parent's
    /// entries are not inherited; AI: the entries below are marked as inherited from here) granting full
    /// control (FA) to each trustee, inherited by files (OI) and folders (CI).
    /// </summary>
    public static string Build(string owner, string group, IReadOnlyList<string> fullControl)
    {
        ArgumentOutOfRangeException.ThrowIfZero(fullControl.Count);
        return $"O:{owner}G:{group}D:PAI" + string.Concat(fullControl.Select(trustee => $"(A;OICI;FA;;;{trustee})"));
    }

    /// <summary>
    /// Whether a folder's owner and DACL (as Windows renders them in SDDL) give nobody but SYSTEM and
    /// Administrators any access: owned by one of them, DACL protected, and every entry an allow or deny for
    /// one of them (a deny narrows, so it is fine). Anything else is looser than <see cref="Sddl"/>.
    /// </summary>
    public static bool IsAtMostAsOpenAs(string currentSddl)
    {
        var owner = Section(currentSddl, "O:");
        if (owner is not (Administrators or LocalSystem))
        {
            return false;
        }

        var dacl = Section(currentSddl, "D:");
        if (dacl is null)
        {
            // No DACL at all is "everyone, full control".
            return false;
        }

        var firstAce = dacl.IndexOf('(');
        var flags = firstAce < 0 ? dacl : dacl[..firstAce];
        if (!flags.Contains('P') || flags.Contains("NO_ACCESS_CONTROL", StringComparison.Ordinal))
        {
            return false;
        }

        var aces = firstAce < 0 ? "" : dacl[firstAce..];
        foreach (var ace in aces.Split(')', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = ace.TrimStart('(').Split(';');
            if (fields.Length < 6 || fields[0] is not ("A" or "D") || fields[5] is not (Administrators or LocalSystem))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// What is wrong with a file or folder inside the config folder (its owner and DACL in SDDL), or null when
    /// nothing is: it must be owned by SYSTEM or Administrators (an owner can always rewrite its DACL) and grant
    /// nobody else anything, explicitly or marked as inherited. Such an entry was planted before the folder was
    /// secured (ProgramData lets Users create folders), and the agent would read or extend it as its own.
    /// </summary>
    public static string? EntryProblem(string entrySddl)
    {
        var owner = Section(entrySddl, "O:");
        if (owner is not (Administrators or LocalSystem))
        {
            return $"owned by {owner ?? "nobody"}";
        }

        var dacl = Section(entrySddl, "D:");
        if (dacl is null || dacl.Contains("NO_ACCESS_CONTROL", StringComparison.Ordinal))
        {
            return "without an access list (open to everyone)";
        }

        var firstAce = dacl.IndexOf('(');
        var aces = firstAce < 0 ? "" : dacl[firstAce..];
        foreach (var ace in aces.Split(')', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = ace.TrimStart('(').Split(';');
            if (fields.Length < 6)
            {
                return $"with an access entry this agent cannot read ({ace.TrimStart('(')})";
            }

            // A deny only narrows; anything that is not one, for anyone but SYSTEM and Administrators, opens.
            if (fields[0] != "D" && fields[5] is not (Administrators or LocalSystem))
            {
                return $"open to {fields[5]}";
            }
        }

        return null;
    }

    // SDDL sections come in the order O:, G:, D:, S:, each running to the next one's tag.
    static string? Section(string sddl, string tag)
    {
        var start = IndexOfTag(sddl, tag);
        if (start < 0)
        {
            return null;
        }

        start += tag.Length;
        var end = sddl.Length;
        foreach (var next in (string[])["O:", "G:", "D:", "S:"])
        {
            var at = IndexOfTag(sddl, next, start);
            if (at >= 0 && at < end)
            {
                end = at;
            }
        }

        return sddl[start..end];
    }

    // A tag outside any ACE's parentheses ("D:" also appears nowhere inside an ACE, but be exact).
    static int IndexOfTag(string sddl, string tag, int from = 0)
    {
        var depth = 0;
        for (var i = 0; i < sddl.Length - 1; i++)
        {
            depth += sddl[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (i >= from && depth == 0 && string.CompareOrdinal(sddl, i, tag, 0, tag.Length) == 0)
            {
                return i;
            }
        }

        return -1;
    }
}
