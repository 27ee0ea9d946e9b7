import { useParams, useSearchParams } from "react-router";
import { PageHeader } from "@/components/PageHeader";
import { EmptyState, ErrorState, Loading } from "@/components/States";
import { useSnapshots } from "../api/snapshots";
import { useHostAccess } from "../api/useHostAccess";
import { Breadcrumbs } from "../components/Breadcrumbs";
import { OfflineNote } from "../components/OfflineNote";
import { RestoreWizard } from "../components/RestoreWizard";

/** The restore wizard, prefilled from `?snapshot=&path=&path=` (the browser's selection). */
export function RestorePage() {
  const { hostId = "" } = useParams();
  const [search] = useSearchParams();
  const { host, hostname, canOperate } = useHostAccess(hostId);
  const snapshots = useSnapshots(hostId);

  return (
    <>
      <Breadcrumbs crumbs={[{ label: hostname, to: `/hosts/${hostId}` }, { label: "Snapshots", to: `/hosts/${hostId}/snapshots` }, { label: "Restore" }]} />
      <PageHeader title={`Restore from ${hostname}`} />
      <OfflineNote status={host.data?.status} />
      {(host.isPending || snapshots.isPending) && <Loading />}
      {host.isError && <ErrorState error={host.error} onRetry={() => void host.refetch()} />}
      {snapshots.isError && <ErrorState error={snapshots.error} onRetry={() => void snapshots.refetch()} />}
      {host.data && !canOperate && (
        <div className="alert tone-warn" role="alert">
          <p>Restoring needs the operator role on this host; you can browse its snapshots.</p>
        </div>
      )}
      {host.data && canOperate && snapshots.data && snapshots.data.snapshots.length === 0 && (
        <EmptyState title="No snapshots yet">
          <p>Run a backup of this host first; there is nothing to restore.</p>
        </EmptyState>
      )}
      {host.data && canOperate && snapshots.data && snapshots.data.snapshots.length > 0 && (
        <RestoreWizard
          hostId={hostId}
          hostname={hostname}
          snapshots={snapshots.data.snapshots}
          initialSnapshotId={search.get("snapshot")}
          initialPaths={search.getAll("path")}
        />
      )}
    </>
  );
}
