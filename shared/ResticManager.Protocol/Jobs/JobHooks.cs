namespace ResticManager.Protocol;

public sealed record JobHooks(Hook? Pre = null, Hook? Post = null);
