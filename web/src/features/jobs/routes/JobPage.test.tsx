import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { dispatchLiveEvent } from "@/lib/events";
import { meWith, mockApi, renderRoutes, type MockRequest, type MockResponse } from "@/test/mockApi";
import { JobPage } from "./JobPage";

const hostId = "host1";
const jobId = "job1";

function job(overrides: Record<string, unknown> = {}) {
  return {
    id: jobId,
    hostId,
    kind: "backup",
    status: "running",
    request: { paths: ["/srv"], excludes: null, tags: null, retention: null, options: null },
    timeoutSeconds: null,
    scheduleId: null,
    sourceGroupId: null,
    createdAt: "2026-11-29T10:00:00Z",
    dispatchedAt: "2026-11-29T10:00:01Z",
    startedAt: "2026-11-29T10:00:02Z",
    finishedAt: null,
    exitCode: null,
    error: null,
    summary: null,
    logLines: 2,
    cancelRequested: false,
    ...overrides,
  };
}

const host = { id: hostId, hostname: "db1", os: "linux", arch: "amd64", status: "online", labels: ["team=db"] };

const line = (n: number, text: string) => ({ n, at: "2026-11-29T10:00:03Z", stream: "stdout", text });

let mock: ReturnType<typeof mockApi>;
afterEach(() => mock?.restore());

function serve(extra: (r: MockRequest) => MockResponse | undefined = () => undefined, jobBody = job()) {
  mock = mockApi((r) => {
    const answer = extra(r);
    if (answer) return answer;
    if (r.path === `/api/jobs/${jobId}`) return { body: jobBody };
    if (r.path === `/api/hosts/${hostId}`) return { body: host };
    if (r.path === `/api/jobs/${jobId}/log`) {
      const after = Number(r.query.get("afterSeq") ?? 0);
      return { body: { items: [line(1, "open repository"), line(2, "start scan")].filter((l) => l.n > after), nextCursor: null } };
    }
    return undefined;
  });
}

const routes = [{ path: "/jobs/:jobId", Component: JobPage }, { path: "/hosts/:hostId", element: <p>host page</p> }];

describe("JobPage", () => {
  it("appends live log lines once each and moves the bar with progress events", async () => {
    serve();
    renderRoutes(routes, { at: `/jobs/${jobId}`, me: meWith([{ role: "operator", scope: "*" }]) });

    const log = await screen.findByRole("log", { name: "Log" });
    await within(log).findByText("start scan");
    expect(log).toHaveAttribute("aria-live", "off");

    act(() => {
      dispatchLiveEvent("log", { jobId, ...line(3, "scanned 10 files") });
      dispatchLiveEvent("log", { jobId, ...line(3, "scanned 10 files") });
      dispatchLiveEvent("log", { jobId: "another", ...line(4, "not this job") });
      dispatchLiveEvent("log", { jobId, ...line(4, "uploading") });
    });
    expect(within(log).getAllByRole("listitem").map((li) => li.textContent)).toEqual(["open repository", "start scan", "scanned 10 files", "uploading"]);

    act(() => {
      dispatchLiveEvent("progress", { jobId, hostId, percentDone: 0.5, bytesDone: 512 * 1024, totalBytes: 1024 * 1024, filesDone: 5, totalFiles: 10, secondsRemaining: 20, currentFiles: ["/srv/a.db"], at: "2026-11-29T10:00:10Z" });
    });
    const bar = screen.getByRole("progressbar", { name: "Job progress" });
    expect(bar).toHaveAttribute("aria-valuenow", "50");
    expect(screen.getByText("512 KiB of 1.0 MiB")).toBeInTheDocument();
    expect(screen.getByText("5 of 10")).toBeInTheDocument();
    expect(screen.getByText("/srv/a.db")).toBeInTheDocument();

    act(() => {
      dispatchLiveEvent("progress", { jobId, hostId, percentDone: 1, bytesDone: 1024 * 1024, totalBytes: 1024 * 1024, filesDone: 10, totalFiles: 10, secondsRemaining: 0, at: "2026-11-29T10:00:12Z" });
    });
    expect(screen.getByRole("progressbar", { name: "Job progress" })).toHaveAttribute("aria-valuenow", "100");
    // 512 KiB more in 2 s.
    expect(screen.getByText("256 KiB/s")).toBeInTheDocument();

    // The final state arrives live: the summary shows, the status is announced.
    act(() => {
      dispatchLiveEvent(
        "job",
        job({
          status: "succeeded",
          finishedAt: "2026-11-29T10:00:13Z",
          exitCode: 0,
          logLines: 4,
          summary: { filesNew: 10, filesChanged: 0, filesUnmodified: 0, dataAdded: 2048, totalDuration: 11, totalFilesProcessed: 10, totalBytesProcessed: 1048576, snapshotId: "4f2a9c1e99" },
        }) as never,
      );
    });
    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent("succeeded"));
    expect(screen.getByText("10 new, 0 changed, 0 unmodified")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "4f2a9c1e" })).toHaveAttribute("href", `/hosts/${hostId}/snapshots/4f2a9c1e99`);
    expect(screen.queryByRole("button", { name: "Cancel job" })).not.toBeInTheDocument();
  });

  it("fetches missing lines from the last one held after a gap", async () => {
    serve();
    renderRoutes(routes, { at: `/jobs/${jobId}`, me: meWith([{ role: "viewer", scope: "*" }]) });
    const log = await screen.findByRole("log", { name: "Log" });
    await within(log).findByText("start scan");
    mock.restore();
    serve((r) =>
      r.path === `/api/jobs/${jobId}/log` ? { body: { items: [line(3, "three"), line(4, "four"), line(5, "five")].filter((l) => l.n > Number(r.query.get("afterSeq"))), nextCursor: null } } : undefined,
    );
    act(() => dispatchLiveEvent("log", { jobId, ...line(5, "five") }));
    await within(log).findByText("three");
    expect(within(log).getAllByRole("listitem")).toHaveLength(5);
    expect(mock.requests.find((r) => r.path.endsWith("/log"))?.query.get("afterSeq")).toBe("2");
  });

  it("shows a viewer no Cancel button and an operator one that says when the job is already over", async () => {
    serve();
    const viewer = renderRoutes(routes, { at: `/jobs/${jobId}`, me: meWith([{ role: "viewer", scope: "*" }]) });
    await screen.findByRole("heading", { name: "Backup on db1" });
    expect(screen.queryByRole("button")).not.toBeInTheDocument();
    viewer.unmount();

    mock.restore();
    serve((r) => (r.method === "POST" && r.path === `/api/jobs/${jobId}/cancel` ? { status: 409, body: { title: "Conflict", status: 409, detail: "Job 'job1' has already ended (succeeded)." } } : undefined));
    renderRoutes(routes, { at: `/jobs/${jobId}`, me: meWith([{ role: "operator", scope: "label:team=db" }]) });
    await userEvent.click(await screen.findByRole("button", { name: "Cancel job" }));
    await userEvent.click(screen.getByRole("button", { name: "Yes, cancel the job" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("This job is already over.");
  });

  it("says so for an unknown job", async () => {
    serve((r) => (r.path === `/api/jobs/${jobId}` ? { status: 404, body: { title: "Not Found", status: 404, detail: "No job 'job1'." } } : undefined));
    renderRoutes(routes, { at: `/jobs/${jobId}`, me: meWith([{ role: "viewer", scope: "*" }]) });
    expect(await screen.findByRole("heading", { level: 1, name: "No such job" })).toBeInTheDocument();
  });

  it("shows a finished restore's lists and a failure's error", async () => {
    serve(undefined, job({ kind: "restore", status: "warning", error: "1 file refused", summary: { dryRun: false, filesRestored: 2, filesCreated: 1, filesOverwritten: 1, filesSkipped: 0, filesRefused: 1, filesFailed: 0, bytesRestored: 10, created: ["/r/a"], overwritten: ["/r/b"], skipped: [], refused: ["/r/c"], failed: [] } }));
    renderRoutes(routes, { at: `/jobs/${jobId}`, me: meWith([{ role: "viewer", scope: "*" }]) });
    expect(await screen.findByText("1 file refused")).toBeInTheDocument();
    expect(screen.getByText("Overwritten (1)")).toBeInTheDocument();
    expect(screen.getByText("/r/b")).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole("progressbar", { name: "Job progress" })).toHaveAttribute("aria-valuenow", "100"));
  });
});
