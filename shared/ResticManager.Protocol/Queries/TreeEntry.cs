namespace ResticManager.Protocol;

/// <summary>One node of a snapshot's tree; <see cref="Mode"/> is the Unix permission string (<c>-rw-r--r--</c>).</summary>
public sealed record TreeEntry(string Name, string Path, EntryType Type, long? Size, DateTimeOffset? Mtime, string? Mode);
