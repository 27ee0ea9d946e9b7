import { StatusBadge } from "@/components/StatusBadge";

/** Said before anything is asked of an agent that is not connected. */
export function OfflineNote({ status }: { status: string | undefined }) {
  if (!status || status === "online" || status === "stale") return null;
  return (
    <div className="alert tone-warn" role="status">
      <p>
        <StatusBadge status={status} /> The agent is offline; browsing, searching, diffing and downloading need it online. The list of
        snapshots below is the last one it reported.
      </p>
    </div>
  );
}
