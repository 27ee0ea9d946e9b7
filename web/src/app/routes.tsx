import { createBrowserRouter } from "react-router";
import { AppLayout } from "./AppLayout";
import { NotFoundPage } from "./NotFoundPage";

/**
 * Every page of the UI. Pages load lazily so the dashboard does not carry the charts or the
 * restore wizard. Each page lives in its feature folder.
 */
export const router = createBrowserRouter([
  {
    path: "/login",
    lazy: async () => ({ Component: (await import("@/features/auth/routes/LoginPage")).LoginPage }),
  },
  {
    path: "/",
    Component: AppLayout,
    children: [
      { index: true, lazy: async () => ({ Component: (await import("@/features/dashboard/routes/DashboardPage")).DashboardPage }) },
      { path: "hosts/:hostId", lazy: async () => ({ Component: (await import("@/features/hosts/routes/HostPage")).HostPage }) },
      {
        path: "hosts/:hostId/snapshots/*",
        lazy: async () => ({ Component: (await import("@/features/snapshots/routes/SnapshotsRoutes")).SnapshotsRoutes }),
      },
      { path: "jobs/:jobId", lazy: async () => ({ Component: (await import("@/features/jobs/routes/JobPage")).JobPage }) },
      { path: "enroll", lazy: async () => ({ Component: (await import("@/features/enrollment/routes/EnrollmentPage")).EnrollmentPage }) },
      { path: "admin/users", lazy: async () => ({ Component: (await import("@/features/admin/routes/UsersPage")).UsersPage }) },
      { path: "admin/tokens", lazy: async () => ({ Component: (await import("@/features/admin/routes/TokensPage")).TokensPage }) },
      { path: "account", lazy: async () => ({ Component: (await import("@/features/auth/routes/AccountPage")).AccountPage }) },
      { path: "admin/notifications", lazy: async () => ({ Component: (await import("@/features/notifications/routes/NotificationsPage")).NotificationsPage }) },
      { path: "admin/audit", lazy: async () => ({ Component: (await import("@/features/admin/routes/AuditPage")).AuditPage }) },
      { path: "*", Component: NotFoundPage },
    ],
  },
]);
