import { lazy, Suspense } from "react";
import { Link, useParams } from "react-router";
import { ApiError } from "@/api/client";
import { PageHeader } from "@/components/PageHeader";
import { EmptyState, ErrorState, Loading } from "@/components/States";
import { StatusBadge } from "@/components/StatusBadge";
import { can, canFleetWide, useMe } from "@/lib/auth";
import { formatDateTime, formatRelative } from "@/lib/format";
import { useHost } from "@/lib/hosts";
import { useHostLiveUpdates, useSourceGroups, type Host } from "../api/hosts";
import { AgentOutdatedBadge } from "../components/AgentOutdatedBadge";
import { HostOverview } from "../components/HostOverview";
import { MaintenanceSection } from "../components/MaintenanceSection";
import { RecentJobs } from "../components/RecentJobs";
import { RepositorySection } from "../components/RepositorySection";
import { SchedulesSection } from "../components/SchedulesSection";
import { SnapshotsSummary } from "../components/SnapshotsSummary";
import { SourceGroupsSection } from "../components/SourceGroupsSection";
import "../hosts.css";

// Recharts is the page's heaviest part: it loads after the rest of the page is shown.
const HostCharts = lazy(() => import("../components/HostCharts"));

/** Said at the top when the agent is not connected: what the operator queues now waits. */
function PresenceNotice({ host }: { host: Host }) {
  if (host.status === "online") return null;
  if (host.status === "revoked") {
    return (
      <p className="alert tone-idle" role="note">
        This host was revoked {formatDateTime(host.revokedAt)}: its agent can no longer connect.
      </p>
    );
  }
  if (host.status === "pending") {
    return (
      <p className="alert tone-warn" role="note">
        The agent has not connected yet: jobs wait for it.
      </p>
    );
  }
  const since = host.lastSeenAt ? `${formatDateTime(host.lastSeenAt)} (${formatRelative(host.lastSeenAt)})` : "an unknown time";
  return (
    <p className={`alert ${host.status === "offline" ? "tone-bad" : "tone-warn"}`} role="note">
      {host.status === "offline" ? `Agent offline since ${since}: jobs wait for it.` : `Agent silent since ${since} (stale): jobs may wait for it.`}
    </p>
  );
}

function HostDetailsPage({ host }: { host: Host }) {
  const me = useMe();
  useHostLiveUpdates(host.id);
  const groups = useSourceGroups(host.id);
  const canOperate = can(me.data, "operator", host.labels);
  const canAdmin = can(me.data, "admin", host.labels);
  return (
    <>
      <PageHeader title={host.hostname}>
        <div className="row">
          <StatusBadge status={host.status} />
          <span className="muted">
            {host.os}/{host.arch}, agent {host.agentVersion ?? "—"}, restic {host.resticVersion ?? "—"}
          </span>
          <AgentOutdatedBadge host={host} />
        </div>
      </PageHeader>
      <PresenceNotice host={host} />
      <div className="host-page">
        <HostOverview host={host} canEditLabels={canFleetWide(me.data, "admin")} />
        <RepositorySection hostId={host.id} canOperate={canOperate} canAdmin={canAdmin} />
        <SourceGroupsSection hostId={host.id} canOperate={canOperate} canAdmin={canAdmin} />
        <SchedulesSection hostId={host.id} groups={groups.data ?? []} canOperate={canOperate} />
        <MaintenanceSection hostId={host.id} canOperate={canOperate} />
        <RecentJobs hostId={host.id} />
        <SnapshotsSummary hostId={host.id} />
        <section aria-labelledby="history-heading">
          <h2 id="history-heading">History</h2>
          <Suspense fallback={<Loading label="Loading the charts…" />}>
            <HostCharts hostId={host.id} />
          </Suspense>
        </section>
      </div>
    </>
  );
}

/** One host: presence, repository, what and when it backs up, maintenance, jobs, snapshots, history. */
export function HostPage() {
  const { hostId = "" } = useParams();
  const host = useHost(hostId);
  if (host.isPending) return <Loading label="Loading the host…" />;
  if (host.isError) {
    if (host.error instanceof ApiError && host.error.status === 404) {
      return (
        <>
          <PageHeader title="No such host" />
          <EmptyState title="No such host">
            <p>
              There is no host <span className="mono">{hostId}</span>, or it is outside your scope. <Link to="/">Back to the dashboard</Link>
            </p>
          </EmptyState>
        </>
      );
    }
    return (
      <>
        <PageHeader title="Host" />
        <ErrorState error={host.error} onRetry={() => host.refetch()} />
      </>
    );
  }
  return <HostDetailsPage key={hostId} host={host.data} />;
}
