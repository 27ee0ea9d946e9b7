namespace ResticManager.Agent.Hooks;

/// <summary>How a hook ended. <see cref="Failure"/> says why it did not succeed: non-zero exit, timeout, or no start.</summary>
public sealed record HookResult(int? ExitCode, string? Failure)
{
    public bool Succeeded => Failure is null;
}
