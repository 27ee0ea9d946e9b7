import { Route, Routes } from "react-router";
import { PageHeader } from "@/components/PageHeader";

function SnapshotsPage() {
  return <PageHeader title="Snapshots" />;
}

/** The snapshot pages of one host (/hosts/:hostId/snapshots/…): list, browser, diff, restore. */
export function SnapshotsRoutes() {
  return (
    <Routes>
      <Route index element={<SnapshotsPage />} />
    </Routes>
  );
}
