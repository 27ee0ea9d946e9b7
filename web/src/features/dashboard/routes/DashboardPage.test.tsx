import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, configure, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { dispatchLiveEvent } from "@/lib/events";
import { stripSummary } from "../components/DayStrip";
import { DashboardPage } from "./DashboardPage";

// Role queries over a table are slow in jsdom on a busy machine: allow them time rather than flake.
configure({ asyncUtilTimeout: 5000 });
vi.setConfig({ testTimeout: 30_000 });

// openapi-fetch keeps the fetch it finds when the client is created: replace it before any import runs.
const fetchMock = vi.hoisted(() => {
  const mock = vi.fn<(request: Request) => Promise<Response>>();
  globalThis.fetch = mock as unknown as typeof fetch;
  return mock;
});

const today = new Date().toISOString().slice(0, 10);

function days(results: string[]) {
  const start = Date.now() - (results.length - 1) * 86_400_000;
  return results.map((result, i) => ({ date: new Date(start + i * 86_400_000).toISOString().slice(0, 10), result }));
}

const thirty = days([...Array(27).fill("succeeded"), "warning", "failed", "failed"]);

const host = (id: string, hostname: string, status = "online", labels: string[] = [], agentVersion = "1.0") => ({
  id, hostname, os: "linux", arch: "amd64", agentVersion, resticVersion: "0.18", status, lastSeenAt: new Date().toISOString(), labels,
  agentOutdated: agentVersion !== "1.0", latestAgentVersion: "1.0",
});

// jsdom lays nothing out: give elements a screenful of size so the virtual list renders rows.
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, "clientHeight", { configurable: true, get: () => 800 });
  Object.defineProperty(HTMLElement.prototype, "clientWidth", { configurable: true, get: () => 1200 });
  Object.defineProperty(HTMLElement.prototype, "offsetHeight", { configurable: true, get: () => 52 });
});

let hostPages: Record<string, unknown>;
let activity: Record<string, unknown>[];

function json(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

beforeEach(() => {
  hostPages = { items: [host("h1", "db-1", "online", ["team=db"]), host("h2", "web-1", "offline", [], "0.9")], nextCursor: null };
  activity = [
    { hostId: "h1", lastBackup: { jobId: "b1", status: "succeeded", finishedAt: new Date().toISOString() }, days: thirty, running: { jobId: "j1", kind: "backup", status: "running", startedAt: new Date().toISOString() } },
    { hostId: "h2", days: days(Array(30).fill("none")) },
  ];
  fetchMock.mockImplementation(async (request: Request) => {
    const url = new URL(request.url);
    switch (url.pathname) {
      case "/api/me":
        return json({ id: "u1", name: "admin", grants: [{ role: "admin", scope: "*" }], csrfToken: "t" });
      case "/api/hosts":
        return json(hostPages);
      case "/api/hosts/summary":
        return json({ total: 2, online: 1, stale: 0, offline: 1, pending: 0, agentOutdated: 1, latestAgentVersion: "1.0" });
      case "/api/jobs/summary":
        return json({ running: 1, queued: 0, failedLast24h: 2, warningLast24h: 0, succeededLast24h: 5 });
      case "/api/overdue/summary":
        return json({ groups: 1, hosts: 1 });
      case "/api/repository-stats/summary":
        return json({ totalSizeBytes: 1024 * 1024 * 3, hostsReporting: 2 });
      case "/api/jobs/activity": {
        const ids = url.searchParams.getAll("hostId");
        return json({ items: activity.filter((a) => ids.includes(a.hostId as string)) });
      }
      case "/api/overdue":
        return json({ items: [{ hostId: "h2", sourceGroupId: "g1", name: "docs", lastSuccessAt: null, overdueSince: new Date().toISOString() }], nextCursor: null });
      default:
        return json({ title: "Not found", status: 404 }, 404);
    }
  });
});

afterEach(() => fetchMock.mockReset());

function renderPage() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter>
        <DashboardPage />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

const hostRequests = () =>
  fetchMock.mock.calls.map(([r]) => new URL(r.url)).filter((u) => u.pathname === "/api/hosts").map((u) => u.search);

describe("DashboardPage", () => {
  it("shows the totals and every host with presence, labels, last backup, strip and overdue flag", async () => {
    renderPage();
    const table = await screen.findByRole("table", { name: "Hosts" });
    expect(await within(table).findByRole("link", { name: "db-1" })).toHaveAttribute("href", "/hosts/h1");
    expect(within(table).getByText("team=db")).toBeInTheDocument();
    expect(within(table).getByText("offline")).toBeInTheDocument();
    expect(await within(table).findByRole("img", { name: "30 days: 27 succeeded, 1 warning, 2 failed" })).toBeInTheDocument();
    expect(await within(table).findByText("overdue")).toBeInTheDocument();
    expect(within(table).getByRole("link", { name: "backup running" })).toHaveAttribute("href", "/jobs/j1");
    expect(await screen.findByText("3.0 MiB")).toBeInTheDocument();
    expect(screen.getByText("Failed jobs (24 h)").nextElementSibling).toHaveTextContent("2");
    // The older agent is flagged, from which version to which; the current one is not.
    expect(within(table).getByText("agent outdated (0.9 → 1.0)")).toBeInTheDocument();
    expect(within(table).getAllByText(/agent outdated/)).toHaveLength(1);
    expect(screen.getByText("Agents outdated").nextElementSibling).toHaveTextContent("1 latest 1.0");
    // One activity and one overdue request for the whole page of hosts, not one per host.
    const paths = fetchMock.mock.calls.map(([r]) => new URL(r.url).pathname);
    expect(paths.filter((p) => p === "/api/jobs/activity")).toHaveLength(1);
    expect(paths.filter((p) => p === "/api/overdue")).toHaveLength(1);
  });

  it("asks the server for the search, status, label and sort chosen", async () => {
    const user = userEvent.setup();
    renderPage();
    await screen.findByRole("table", { name: "Hosts" });
    expect(hostRequests()[0]).toBe("?limit=200&sort=hostname");

    await user.type(screen.getByLabelText("Search hosts"), "web");
    await user.selectOptions(screen.getByLabelText("Status"), "offline");
    await user.type(screen.getByLabelText("Label"), "team=db");
    await user.selectOptions(screen.getByLabelText("Sort"), "status");
    await waitFor(() => expect(hostRequests()).toContain("?limit=200&sort=status&search=web&status=offline&label=team%3Ddb"));
    // Typing is debounced: no request for a half-typed word.
    expect(hostRequests().some((q) => q.includes("search=w&") || q.includes("search=we&"))).toBe(false);
  });

  it("says a label that is not key=value instead of sending it", async () => {
    const user = userEvent.setup();
    renderPage();
    await screen.findByRole("table", { name: "Hosts" });
    await user.type(screen.getByLabelText("Label"), "Team");
    expect(await screen.findByText("A label is key=value, such as team=db")).toBeInTheDocument();
    expect(screen.getByLabelText("Label")).toHaveAttribute("aria-invalid", "true");
    expect(hostRequests().some((q) => q.includes("label="))).toBe(false);
  });

  it("moves the running job's bar with its progress events and settles the row when the job ends", async () => {
    renderPage();
    const link = await screen.findByRole("link", { name: "backup running" });
    expect(screen.queryByRole("progressbar")).toBeNull();

    act(() => dispatchLiveEvent("progress", { jobId: "j1", hostId: "h1", percentDone: 0.42, at: new Date().toISOString() }));
    const bar = await screen.findByRole("progressbar", { name: "backup on db-1" });
    expect(bar).toHaveAttribute("aria-valuenow", "42");
    expect(link).toHaveTextContent("backup 42 %");

    act(() => dispatchLiveEvent("progress", { jobId: "j1", hostId: "h1", percentDone: 0.9, at: new Date().toISOString() }));
    await waitFor(() => expect(screen.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "90"));

    const finishedAt = new Date().toISOString();
    act(() =>
      dispatchLiveEvent("job", {
        id: "j1", hostId: "h1", kind: "backup", status: "failed", request: {}, timeoutSeconds: null, scheduleId: null, sourceGroupId: null,
        createdAt: finishedAt, dispatchedAt: finishedAt, startedAt: finishedAt, finishedAt, exitCode: 1, error: "boom", summary: null, logLines: 0, cancelRequested: false,
      } as never),
    );
    await waitFor(() => expect(screen.queryByRole("progressbar")).toBeNull());
    expect(screen.getAllByText("failed").length).toBeGreaterThan(0);
    expect(fetchMock.mock.calls.filter(([r]) => new URL(r.url).pathname === "/api/jobs/activity")).toHaveLength(1);
  });

  it("updates a host's presence from a live event without fetching the list again", async () => {
    renderPage();
    const table = await screen.findByRole("table", { name: "Hosts" });
    expect(within(table).getByText("offline")).toBeInTheDocument();
    const before = hostRequests().length;
    act(() => dispatchLiveEvent("host", { hostId: "h2", online: true, at: new Date().toISOString() }));
    await waitFor(() => expect(within(table).queryByText("offline")).toBeNull());
    expect(within(table).getAllByText("online")).toHaveLength(2);
    expect(hostRequests()).toHaveLength(before);
  });

  it("invites a fleet operator to enroll when there are no hosts", async () => {
    hostPages = { items: [], nextCursor: null };
    renderPage();
    expect(await screen.findByText("No hosts yet — enroll one")).toBeInTheDocument();
    expect(await screen.findByRole("link", { name: "Enroll a host" })).toHaveAttribute("href", "/enroll");
  });

  it("says when the host list cannot be loaded", async () => {
    const base = fetchMock.getMockImplementation()!;
    fetchMock.mockImplementation(async (r: Request) =>
      new URL(r.url).pathname === "/api/hosts" ? json({ title: "Internal error", status: 500, detail: "database is locked" }, 500) : base(r),
    );
    renderPage();
    expect(await screen.findByRole("alert")).toHaveTextContent("database is locked");
  });
});

describe("stripSummary", () => {
  it("counts each outcome and the days without a backup", () => {
    expect(stripSummary(thirty as never)).toBe("30 days: 27 succeeded, 1 warning, 2 failed");
    expect(stripSummary(days([...Array(28).fill("none"), "succeeded", "warning"]) as never)).toBe(
      "30 days: 1 succeeded, 1 warning, 0 failed, 28 without a backup",
    );
    expect(today).toHaveLength(10);
  });
});
