/** One host (name, status, labels: the caller's role on it depends on them), as every page reads it. */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/api/client";
import { useLiveEvent } from "./events";

export const hostKey = (hostId: string) => ["hosts", hostId, "details"] as const;

/** The host, refetched when its presence changes. */
export function useHost(hostId: string | undefined) {
  const queryClient = useQueryClient();
  useLiveEvent("host", (event) => {
    if (hostId && event.hostId === hostId) void queryClient.invalidateQueries({ queryKey: hostKey(hostId) });
  });
  return useQuery({
    queryKey: hostKey(hostId ?? ""),
    enabled: !!hostId,
    queryFn: async () => unwrap(await api.GET("/api/hosts/{hostId}", { params: { path: { hostId: hostId! } } })),
  });
}
