namespace ResticManager.Testing;

/// <summary>One message of a hostile-input run: what it tries (<see cref="Kind"/>, <see cref="Variant"/>) and how it goes on the wire.</summary>
public sealed record HostileMessage(string Kind, string Variant, string Topic, byte[] Payload, bool Retain, bool AtLeastOnce);
