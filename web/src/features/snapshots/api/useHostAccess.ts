import { can, useMe } from "@/lib/auth";
import { useHost } from "@/lib/hosts";

/** The host and whether the caller may download and restore there (operator on its labels). */
export function useHostAccess(hostId: string) {
  const me = useMe();
  const host = useHost(hostId);
  return {
    host,
    hostname: host.data?.hostname ?? hostId,
    // "stale" may still answer; the others cannot.
    reachable: host.data ? host.data.status === "online" || host.data.status === "stale" : true,
    canOperate: !!host.data && can(me.data, "operator", host.data.labels),
  };
}
