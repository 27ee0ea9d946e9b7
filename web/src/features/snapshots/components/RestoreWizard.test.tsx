import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { dispatchLiveEvent } from "@/lib/events";
import { host, mockApi, operator, renderSnapshots, snapshot, viewer } from "../testing";

const root = {
  path: "/",
  nextCursor: null,
  items: [{ name: "srv", path: "/srv", type: "dir", size: null, mtime: null, mode: null }],
};
const srv = {
  path: "/srv",
  nextCursor: null,
  items: [
    { name: "a.txt", path: "/srv/a.txt", type: "file", size: 5, mtime: null, mode: null },
    { name: "b.txt", path: "/srv/b.txt", type: "file", size: 6, mtime: null, mode: null },
    { name: "c.txt", path: "/srv/c.txt", type: "file", size: 7, mtime: null, mode: null },
  ],
};

const job = (status: string, summary: unknown = null) => ({
  id: "job1",
  hostId: "h1",
  kind: "restore",
  status,
  request: { paths: null, excludes: null, tags: null, retention: null, options: null },
  timeoutSeconds: null,
  scheduleId: null,
  sourceGroupId: null,
  createdAt: "2026-11-01T10:00:00Z",
  dispatchedAt: null,
  startedAt: null,
  finishedAt: null,
  exitCode: null,
  error: null,
  summary,
  logLines: 0,
  cancelRequested: false,
});

function mockPages(me: unknown, restores: (body: unknown) => unknown, jobs: () => unknown = () => job("queued")) {
  return mockApi(
    {
      "/api/me": () => me,
      "/api/hosts/{hostId}": () => host,
      "/api/hosts": () => ({ items: [host, { ...host, id: "h2", hostname: "beta" }], nextCursor: null }),
      "/api/hosts/{hostId}/snapshots": () => ({ refreshedAt: null, snapshots: [snapshot] }),
      "/api/hosts/{hostId}/snapshots/{snapshotId}/tree": ({ query }) => (query?.path === "/srv" ? srv : root),
      "/api/jobs/{jobId}": jobs,
    },
    { "/api/hosts/{hostId}/restores": (_, body) => restores(body) },
  );
}

// Typing and clicking through a whole page is slow on a busy machine.
describe("restore", { timeout: 30_000 }, () => {
  afterEach(() => vi.restoreAllMocks());

  it("restores what is selected in the browser: the request carries the selected paths", async () => {
    const { postSpy } = mockPages(operator, () => ({ status: 202, body: { id: "job1" } }));
    const user = userEvent.setup();
    renderSnapshots(`/hosts/h1/snapshots/${snapshot.id}`);

    const tree = await screen.findByRole("tree");
    await user.click(within(tree).getByText("srv"));
    await user.click(await within(tree).findByTitle("Select a.txt"));
    await user.click(within(tree).getByTitle("Select c.txt"));
    expect(within(tree).getByRole("treeitem", { name: /^a\.txt\W+File\b/ })).toHaveAttribute("aria-selected", "true");
    expect(screen.getByText("2 selected")).toBeInTheDocument();

    await user.click(screen.getByRole("link", { name: "Restore…" }));
    expect(await screen.findByRole("heading", { name: "Restore from alpha" })).toBeInTheDocument();
    expect(screen.getByLabelText("Paths to restore")).toHaveValue("/srv/a.txt\n/srv/c.txt");

    await user.click(screen.getByRole("radio", { name: /another folder/i }));
    await user.type(screen.getByLabelText("Target folder"), "/restore");
    await user.click(screen.getByRole("radio", { name: /if changed/i }));
    await user.click(screen.getByRole("button", { name: "Preview restore" }));

    await waitFor(() => expect(postSpy).toHaveBeenCalledTimes(1));
    const [url, init] = postSpy.mock.calls[0] as unknown as [string, { params: { path: { hostId: string } }; body: unknown }];
    expect(url).toBe("/api/hosts/{hostId}/restores");
    expect(init.params.path.hostId).toBe("h1");
    expect(init.body).toEqual({
      snapshotId: snapshot.id,
      paths: ["/srv/a.txt", "/srv/c.txt"],
      target: { kind: "folder", path: "/restore", hostId: null },
      overwrite: "ifChanged",
      verify: false,
      dryRun: true,
    });
  });

  it("previews a dry run from the job's summary once its live event says it ended, then restores for real", async () => {
    let current = job("running");
    let started = 0;
    const { postSpy, getSpy } = mockPages(operator, () => ({ status: 202, body: { id: `job${++started}` } }), () => current);
    const user = userEvent.setup();
    renderSnapshots(`/hosts/h1/snapshots/restore?snapshot=${snapshot.shortId}&path=/srv/data`);

    await user.click(await screen.findByRole("button", { name: "Preview restore" }));
    expect(await screen.findByText("running")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Restore" })).toBeDisabled();
    const jobGets = () => getSpy.mock.calls.filter(([u]) => u === "/api/jobs/{jobId}").length;
    expect(jobGets()).toBe(1);
    // The job event carries the whole job (its summary too): taken from the event, nothing fetched.
    act(() => dispatchLiveEvent("job", job("running") as never));
    expect(jobGets()).toBe(1);

    current = job("succeeded", {
      dryRun: true,
      filesCreated: 1,
      filesOverwritten: 2,
      filesSkipped: 60,
      created: ["/srv/data/new.txt"],
      overwritten: ["/srv/data/changed.txt", "/srv/data/other.txt"],
      skipped: Array.from({ length: 50 }, (_, i) => `/srv/data/same-${i}.txt`),
    });
    act(() => dispatchLiveEvent("job", current as never));

    const overwritten = await screen.findByRole("region", { name: "Would be overwritten: 2 files" });
    expect(within(overwritten).getAllByRole("listitem").map((li) => li.textContent)).toEqual(["/srv/data/changed.txt", "/srv/data/other.txt"]);
    expect(jobGets()).toBe(1);
    const skipped = screen.getByRole("region", { name: "Would be skipped (already there, kept): 60 files" });
    expect(within(skipped).getAllByRole("listitem")).toHaveLength(50);
    expect(within(skipped).getByText(/and 10 more/)).toBeInTheDocument();
    expect(screen.getByText("Preview ready: 1 to create, 2 to overwrite, 60 to skip.")).toHaveAttribute("role", "status");

    current = { ...job("queued"), id: "job2" };
    await user.click(screen.getByRole("button", { name: "Restore" }));
    await waitFor(() => expect(postSpy).toHaveBeenCalledTimes(2));
    expect((postSpy.mock.calls[1] as unknown as [string, { body: { dryRun: boolean; paths: string[] } }])[1].body).toMatchObject({ dryRun: false, paths: ["/srv/data"] });
    expect(screen.getAllByRole("link", { name: "Open the job" }).map((a) => a.getAttribute("href"))).toEqual(["/jobs/job1", "/jobs/job2"]);
    expect(await screen.findByText("queued")).toBeInTheDocument();
    // The form is spent: another restore starts from a fresh wizard.
    expect(screen.getByLabelText("Paths to restore")).toBeDisabled();
  });

  it("shows the server's field errors next to the fields", async () => {
    mockPages(operator, () => ({
      status: 400,
      body: { title: "One or more validation errors occurred.", errors: { "target.hostId": ["The target host is not bound to a repository."] } },
    }));
    const user = userEvent.setup();
    renderSnapshots(`/hosts/h1/snapshots/restore?snapshot=${snapshot.id}&path=/srv/data`);

    await user.click(await screen.findByRole("radio", { name: /another host/i }));
    await user.selectOptions(await screen.findByLabelText("Target host"), "h2");
    await user.click(screen.getByRole("button", { name: "Preview restore" }));

    const picker = screen.getByLabelText("Target host");
    expect(await screen.findByText("The target host is not bound to a repository.")).toBeInTheDocument();
    expect(picker).toHaveAttribute("aria-invalid", "true");
    expect(picker).toHaveAccessibleDescription("The target host is not bound to a repository.");
    expect(screen.getByRole("alert")).toHaveTextContent(/see the fields marked above/);
  });

  it("shows a refused cross-host restore in the server's words", async () => {
    mockPages(operator, () => ({ status: 403, body: { title: "Forbidden", detail: "Restoring onto another host needs the admin role on the source host." } }));
    const user = userEvent.setup();
    renderSnapshots(`/hosts/h1/snapshots/restore?snapshot=${snapshot.id}&path=/srv/data`);
    await user.click(await screen.findByRole("button", { name: "Preview restore" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Not allowed: Restoring onto another host needs the admin role on the source host.");
  });

  it("offers viewers neither download nor restore", async () => {
    mockPages(viewer, () => ({ status: 403, body: { title: "Forbidden" } }));
    const user = userEvent.setup();
    renderSnapshots(`/hosts/h1/snapshots/${snapshot.id}`);
    const tree = await screen.findByRole("tree");
    await user.click(within(tree).getByText("srv"));
    await user.click(await within(tree).findByTitle("Select a.txt"));
    expect(screen.getByRole("button", { name: "Versions of a.txt" })).toBeInTheDocument();
    expect(screen.queryByRole("link", { name: /download/i })).not.toBeInTheDocument();
    expect(screen.queryByRole("link", { name: /restore/i })).not.toBeInTheDocument();
  });
});
