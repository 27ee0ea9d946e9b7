import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { act } from "react";
import { dispatchLiveEvent } from "@/lib/events";
import { meWith, mockApi, renderRoutes, type MockRequest, type MockResponse } from "@/test/mockApi";
import { HostPage } from "./HostPage";

const hostId = "host1";

const host = (overrides: Record<string, unknown> = {}) => ({
  id: hostId,
  hostname: "db1",
  os: "linux",
  arch: "amd64",
  agentVersion: "1.2.0",
  resticVersion: "0.17.3",
  protocolVersion: 1,
  status: "online",
  enrolledAt: "2026-11-01T10:00:00Z",
  firstSeenAt: "2026-11-01T10:01:00Z",
  lastSeenAt: "2026-11-29T10:00:00Z",
  heartbeatIntervalSeconds: 30,
  revokedAt: null,
  labels: ["team=db"],
  agentOutdated: false,
  latestAgentVersion: "1.2.0",
  ...overrides,
});

const group = {
  id: "g1",
  hostId,
  name: "data",
  includes: ["/srv/data"],
  excludes: [],
  tag: "data",
  retention: { keepDaily: 7 },
  hooks: null,
  hookPresence: null,
  createdAt: "2026-11-01T10:00:00Z",
  updatedAt: "2026-11-01T10:00:00Z",
  status: { overdue: false, overdueSince: null, lastSuccessAt: null, lastSuccessJobId: null, expectedInterval: null },
};

const backup = (id: string, finishedAt: string, dataAdded: number, totalDuration: number) => ({
  id,
  hostId,
  kind: "backup",
  status: "succeeded",
  request: { paths: ["/srv/data"], excludes: null, tags: null, retention: null, options: null },
  timeoutSeconds: null,
  scheduleId: null,
  sourceGroupId: "g1",
  createdAt: finishedAt,
  dispatchedAt: finishedAt,
  startedAt: finishedAt,
  finishedAt,
  exitCode: 0,
  error: null,
  summary: { dataAdded, totalDuration, filesNew: 1 },
  logLines: 3,
  cancelRequested: false,
});

let mock: ReturnType<typeof mockApi>;
afterEach(() => mock?.restore());

function serve(extra: (r: MockRequest) => MockResponse | undefined = () => undefined, hostBody = host()) {
  mock = mockApi((r) => {
    const answer = extra(r);
    if (answer) return answer;
    const base = `/api/hosts/${hostId}`;
    if (r.method !== "GET") return undefined;
    switch (r.path) {
      case base:
        return { body: hostBody };
      case `${base}/repository`:
        return { body: { url: "/srv/restic", username: null, hasPassword: true, hasCredential: false, envNames: [], uploadLimitKBps: null, downloadLimitKBps: null, version: 1, updatedAt: "2026-11-01T10:00:00Z", hasAdminCredentials: false } };
      case `${base}/repository/admin-credentials`:
        return { status: 404, body: { title: "Not Found", status: 404 } };
      case `${base}/source-groups`:
        return { body: { items: [group], nextCursor: null } };
      case `${base}/schedules`:
        return { body: { items: [], nextCursor: null } };
      case `${base}/maintenance`:
        return { body: { forget: null, prune: null, check: null, stats: null } };
      case `${base}/snapshots`:
        return { body: { refreshedAt: "2026-11-29T10:00:00Z", snapshots: [] } };
      case `${base}/repository/stats`:
        return { status: 404, body: { title: "Not Found", status: 404 } };
      case "/api/jobs":
        return r.query.get("kind") === "backup"
          ? { body: { items: [backup("j2", "2026-11-29T02:00:00Z", 2048, 12), backup("j1", "2026-11-28T02:00:00Z", 1024, 10)], nextCursor: null } }
          : { body: { items: [], nextCursor: null } };
    }
    return undefined;
  });
}

const routes = [
  { path: "/hosts/:hostId", Component: HostPage },
  { path: "/jobs/:jobId", element: <h1>job page</h1> },
];

describe("HostPage", () => {
  it("shows the server's cron error next to the cron field and creates the schedule once it is valid", async () => {
    serve((r) => {
      if (r.method === "POST" && r.path === `/api/hosts/${hostId}/schedules`) {
        const body = r.body as { cron: string };
        return body.cron === "61 * * * *"
          ? { status: 400, body: { title: "One or more validation errors occurred.", status: 400, errors: { cron: ["minute 61 is out of range (0-59)"] } } }
          : { status: 201, body: { id: "s1", hostId, cron: body.cron, timeZone: "UTC", enabled: true, sourceGroupIds: ["g1"], quartzExpressions: [], nextFireTimes: [], createdAt: "", updatedAt: "" } };
      }
      return undefined;
    });
    renderRoutes(routes, { at: `/hosts/${hostId}`, me: meWith([{ role: "operator", scope: "label:team=db" }]) });

    await userEvent.click(await screen.findByRole("button", { name: "New schedule" }));
    const form = screen.getByRole("form", { name: "New schedule" });
    const cron = within(form).getByLabelText("Cron");
    await userEvent.clear(cron);
    await userEvent.type(cron, "61 * * * *");
    // The host's only group is chosen already.
    expect(within(form).getByRole("checkbox", { name: "data" })).toBeChecked();
    await userEvent.click(within(form).getByRole("button", { name: "Create the schedule" }));

    await waitFor(() => expect(cron).toHaveAttribute("aria-invalid", "true"));
    expect(cron).toHaveAccessibleDescription(expect.stringContaining("minute 61 is out of range (0-59)"));
    // The message sits in the cron field itself, not only in a banner.
    expect(cron.closest(".field")).toHaveTextContent("minute 61 is out of range (0-59)");
    expect(within(form).getByLabelText("Time zone")).not.toHaveAttribute("aria-invalid");

    await userEvent.clear(cron);
    await userEvent.type(cron, "0 2 * * *");
    await userEvent.click(within(form).getByRole("button", { name: "Create the schedule" }));
    await waitFor(() => expect(screen.queryByRole("form", { name: "New schedule" })).not.toBeInTheDocument());
    const posted = mock.requests.filter((r) => r.method === "POST").map((r) => r.body as { cron: string; sourceGroupIds: string[] });
    expect(posted.map((p) => p.cron)).toEqual(["61 * * * *", "0 2 * * *"]);
    expect(posted[1]!.sourceGroupIds).toEqual(["g1"]);
  }, 20_000);

  it("says the agent is outdated, from which version to which, and nothing when it is current", async () => {
    serve(undefined, host({ agentVersion: "1.1.0", agentOutdated: true, latestAgentVersion: "1.2.0" }));
    const outdated = renderRoutes(routes, { at: `/hosts/${hostId}`, me: meWith([{ role: "viewer", scope: "*" }]) });
    const badge = await screen.findByText("agent outdated (1.1.0 → 1.2.0)");
    expect(badge.closest("[title]")).toHaveAttribute("title", expect.stringContaining("never updates itself"));
    outdated.unmount();
    mock.restore();

    serve();
    renderRoutes(routes, { at: `/hosts/${hostId}`, me: meWith([{ role: "viewer", scope: "*" }]) });
    await screen.findByRole("heading", { name: "db1" });
    expect(screen.queryByText(/agent outdated/)).not.toBeInTheDocument();
  });

  it("shows a viewer no action buttons", async () => {
    serve();
    renderRoutes(routes, { at: `/hosts/${hostId}`, me: meWith([{ role: "viewer", scope: "*" }]) });
    await screen.findByRole("heading", { level: 1, name: "db1" });
    await screen.findByRole("rowheader", { name: "data" });
    await screen.findByText("/srv/restic");
    await screen.findByRole("heading", { name: "Data added per backup" });
    expect(screen.queryAllByRole("button")).toEqual([]);
  });

  it("says at the top when the agent is offline, and keeps the groups' state live", async () => {
    serve(undefined, host({ status: "offline" }));
    renderRoutes(routes, { at: `/hosts/${hostId}`, me: meWith([{ role: "admin", scope: "*" }]) });
    expect(await screen.findByRole("note")).toHaveTextContent(/^Agent offline since .+: jobs wait for it\.$/);

    await screen.findByText("never backed up");
    mock.restore();
    serve((r) =>
      r.path === `/api/hosts/${hostId}/source-groups`
        ? { body: { items: [{ ...group, status: { ...group.status, overdue: true, overdueSince: "2026-11-29T09:00:00Z" } }], nextCursor: null } }
        : undefined,
    );
    act(() => dispatchLiveEvent("overdue", { hostId, sourceGroupId: "g1", overdue: true }));
    expect(await screen.findByText(/^overdue since/)).toBeInTheDocument();
  });

  it("refuses bad labels inline per entry", async () => {
    serve((r) =>
      r.method === "PUT" && r.path === `/api/hosts/${hostId}/labels` ? { status: 400, body: { title: "Bad", status: 400, errors: { "labels[1]": ["must look like key=value"] } } } : undefined,
    );
    renderRoutes(routes, { at: `/hosts/${hostId}`, me: meWith([{ role: "admin", scope: "*" }]) });
    await userEvent.click(await screen.findByRole("button", { name: "Edit labels" }));
    await userEvent.click(screen.getByRole("button", { name: "Add a label" }));
    await userEvent.type(screen.getByLabelText("Label 2"), "Bad Key");
    await userEvent.click(screen.getByRole("button", { name: "Save labels" }));
    await waitFor(() => expect(screen.getByLabelText("Label 2")).toHaveAccessibleDescription("must look like key=value"));
    expect(screen.getByLabelText("Label 1")).not.toHaveAttribute("aria-invalid");
  });

  it("backs a group up now and opens its job", async () => {
    serve((r) => (r.method === "POST" && r.path === `/api/hosts/${hostId}/source-groups/g1/run` ? { status: 202, body: { id: "job42" } } : undefined));
    const { router } = renderRoutes(routes, { at: `/hosts/${hostId}`, me: meWith([{ role: "operator", scope: "*" }]) });
    await userEvent.click(await screen.findByRole("button", { name: "Back up data now" }));
    await waitFor(() => expect(router.state.location.pathname).toBe("/jobs/job42"));
  });
});
