namespace ResticManager.BuildingBlocks;

/// <summary>
/// Orders every presence event of an agent, for each service that keeps presence (inventory, jobs):
/// <c>seq × 2</c> for "connection seq is up", <c>seq × 2 + 1</c> for "connection seq is down". An event
/// applies only when its version is newer than the stored one, so the result is the same whatever
/// order or how many times the events arrive.
/// </summary>
public static class PresenceVersion
{
    public static long Online(long connectionSeq) => connectionSeq * 2;

    public static long Offline(long connectionSeq) => connectionSeq * 2 + 1;

    public static long Of(long connectionSeq, bool online) => online ? Online(connectionSeq) : Offline(connectionSeq);
}
