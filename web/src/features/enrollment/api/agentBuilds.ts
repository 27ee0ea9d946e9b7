import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/api/client";

/** The agent version this server ships and the platforms it has builds for (what the install one-liners download). */
export function useAgentBuilds() {
  return useQuery({
    queryKey: ["install", "agent-builds"],
    queryFn: async () => unwrap(await api.GET("/install/agent/builds")),
    staleTime: Infinity,
  });
}
