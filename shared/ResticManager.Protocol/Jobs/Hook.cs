namespace ResticManager.Protocol;

/// <summary>A shell command run by the agent around a backup (<c>/bin/sh -c</c>, or <c>cmd /c</c> on Windows).</summary>
public sealed record Hook(string Command, int TimeoutSeconds, HookFailure OnError);
