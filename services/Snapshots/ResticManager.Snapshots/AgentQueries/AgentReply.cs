namespace ResticManager.Snapshots;

/// <summary>One reply message: its kind (<c>rm-reply</c>), its chunk number (<c>rm-seq</c>) and a private copy of its payload.</summary>
sealed record AgentReply(string Kind, long? Seq, byte[] Payload);
