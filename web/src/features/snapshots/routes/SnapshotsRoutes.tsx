import { Route, Routes, useParams, useSearchParams } from "react-router";
import "../snapshots.css";
import { DiffPage } from "./DiffPage";
import { RestorePage } from "./RestorePage";
import { SearchPage } from "./SearchPage";
import { SnapshotBrowserPage } from "./SnapshotBrowserPage";
import { SnapshotListPage } from "./SnapshotListPage";

/** A fresh browser (selection, open folders) for each snapshot and revealed path. */
function BrowserRoute() {
  const { snapshotId } = useParams();
  const [search] = useSearchParams();
  return <SnapshotBrowserPage key={`${snapshotId}:${search.get("path") ?? ""}`} />;
}

/** The snapshot pages of one host (/hosts/:hostId/snapshots/…): list, search, browser, diff, restore. */
export function SnapshotsRoutes() {
  return (
    <Routes>
      <Route index element={<SnapshotListPage />} />
      <Route path="search" element={<SearchPage />} />
      <Route path="restore" element={<RestorePage />} />
      <Route path=":snapshotId" element={<BrowserRoute />} />
      <Route path=":snapshotId/diff/:otherId" element={<DiffPage />} />
    </Routes>
  );
}
