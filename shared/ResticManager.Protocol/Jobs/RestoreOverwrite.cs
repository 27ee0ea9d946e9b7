namespace ResticManager.Protocol;

/// <summary>What a restore does with a file that already exists at its destination.</summary>
public enum RestoreOverwrite
{
    /// <summary>Always replace it.</summary>
    Always,

    /// <summary>
    /// Replace it when it differs: the agent compares type, size and modification time (to the second);
    /// restic 0.17+, which the agent lets decide when installed, compares content.
    /// </summary>
    IfChanged,

    /// <summary>Replace it when the snapshot's copy has a newer modification time.</summary>
    IfNewer,

    /// <summary>Never replace it: only missing files are restored.</summary>
    Never,
}
