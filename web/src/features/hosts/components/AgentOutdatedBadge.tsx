import { StatusBadge } from "@/components/StatusBadge";
import type { Host } from "../api/hosts";

/**
 * "agent outdated (0.9.0 → 1.0.0)" when the host's agent is older than the one the server ships; nothing otherwise.
 * The agent never updates itself: the tooltip says how the operator does it.
 */
export function AgentOutdatedBadge({ host }: { host: Pick<Host, "agentOutdated" | "agentVersion" | "latestAgentVersion"> }) {
  if (!host.agentOutdated) return null;
  return (
    <span title="Run the install one-liner again on the host (or apt upgrade) to upgrade the agent: it never updates itself.">
      <StatusBadge status="outdated" tone="warn" label={`agent outdated (${host.agentVersion ?? "?"} → ${host.latestAgentVersion})`} />
    </span>
  );
}
