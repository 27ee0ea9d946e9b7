using ResticManager.Protocol;

namespace ResticManager.ServiceDefaults;

/// <summary>
/// That a group or job has hooks, without their commands: hooks need the admin role on the host to
/// set, and operators put secrets in them, so only that admin sees the commands; everyone else who
/// may read the host sees this.
/// </summary>
public sealed record HookPresence(bool HasPre, bool HasPost)
{
    public static HookPresence? Of(JobHooks? hooks) => hooks is null ? null : new HookPresence(hooks.Pre is not null, hooks.Post is not null);
}
