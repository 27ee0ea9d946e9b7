import { act, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { host, mockApi, operator, renderSnapshots, snapshot } from "../testing";

const entry = (path: string, type: "file" | "dir", size: number | null = null) => ({
  name: path.split("/").pop()!,
  path,
  type,
  size,
  mtime: "2026-10-31T09:00:00Z",
  mode: null,
});

function mockTree(listings: Record<string, { items: ReturnType<typeof entry>[]; nextCursor: string | null }[]>) {
  return mockApi({
    "/api/me": () => operator,
    "/api/hosts/{hostId}": () => host,
    "/api/hosts/{hostId}/snapshots": () => ({ refreshedAt: null, snapshots: [snapshot] }),
    "/api/hosts/{hostId}/snapshots/{snapshotId}/tree": ({ query }) => {
      const pages = listings[String(query?.path)];
      if (!pages) return { status: 404, body: { title: "Not found" } };
      const page = query?.cursor ? Number(query.cursor) : 0;
      return { path: query?.path, ...pages[page] };
    },
  });
}

const treeCalls = (spy: ReturnType<typeof mockTree>["getSpy"]) =>
  spy.mock.calls.filter(([url]) => url === "/api/hosts/{hostId}/snapshots/{snapshotId}/tree").map(([, init]) => (init as { params: { query: { path: string; cursor?: string } } }).params.query);

describe("SnapshotTree", { timeout: 30_000 }, () => {
  afterEach(() => vi.restoreAllMocks());

  it("asks for a folder's children only when it is opened, and pages with Load more", async () => {
    const { getSpy } = mockTree({
      "/": [{ items: [entry("/srv", "dir"), entry("/notes.txt", "file", 12)], nextCursor: null }],
      "/srv": [
        { items: [entry("/srv/a.txt", "file", 1)], nextCursor: "1" },
        { items: [entry("/srv/b.txt", "file", 2)], nextCursor: null },
      ],
    });
    const user = userEvent.setup();
    renderSnapshots(`/hosts/h1/snapshots/${snapshot.id}`);

    const tree = await screen.findByRole("tree", { name: /files of snapshot aaaaaaaa/i });
    const srv = within(tree).getByRole("treeitem", { name: /^srv\W+Folder\b/ });
    expect(srv).toHaveAttribute("aria-expanded", "false");
    expect(treeCalls(getSpy).map((q) => q.path)).toEqual(["/"]);

    // Keyboard: the first item holds the tab stop; ArrowRight opens the folder.
    expect(srv).toHaveAttribute("tabindex", "0");
    act(() => srv.focus());
    await user.keyboard("{ArrowRight}");
    expect(srv).toHaveAttribute("aria-expanded", "true");
    expect(await within(tree).findByRole("treeitem", { name: /^a\.txt\W+File\b/ })).toBeInTheDocument();
    expect(treeCalls(getSpy).map((q) => q.path)).toEqual(["/", "/srv"]);
    expect(within(tree).queryByRole("treeitem", { name: /^b\.txt\W+File\b/ })).not.toBeInTheDocument();

    await user.click(within(tree).getByRole("treeitem", { name: "Load more in /srv" }));
    expect(await within(tree).findByRole("treeitem", { name: /^b\.txt\W+File\b/ })).toBeInTheDocument();
    expect(treeCalls(getSpy)).toEqual([{ path: "/", cursor: undefined, limit: 200 }, { path: "/srv", cursor: undefined, limit: 200 }, { path: "/srv", cursor: "1", limit: 200 }]);

    // Closing and opening again asks nothing more: a snapshot never changes.
    await user.keyboard("{ArrowUp}{ArrowUp}{ArrowLeft}");
    expect(srv).toHaveAttribute("aria-expanded", "false");
    expect(document.activeElement).toBe(srv);
    await user.keyboard("{Enter}");
    expect(await within(tree).findByRole("treeitem", { name: /^b\.txt\W+File\b/ })).toBeInTheDocument();
    expect(treeCalls(getSpy)).toHaveLength(3);

    // ArrowLeft on a file goes up to its folder.
    await user.keyboard("{ArrowDown}{ArrowDown}{ArrowLeft}");
    expect(document.activeElement).toBe(srv);
  });

  it("says the agent is offline when the host cannot be asked", async () => {
    mockApi({
      "/api/me": () => operator,
      "/api/hosts/{hostId}": () => ({ ...host, status: "offline" }),
      "/api/hosts/{hostId}/snapshots": () => ({ refreshedAt: null, snapshots: [snapshot] }),
      "/api/hosts/{hostId}/snapshots/{snapshotId}/tree": () => ({ status: 503, body: { title: "Host offline", detail: "h1 is offline" } }),
    });
    renderSnapshots(`/hosts/h1/snapshots/${snapshot.id}`);
    const alert = await screen.findByText(/the agent is offline; browsing needs it online/i);
    expect(alert.closest('[role="alert"]')).not.toBeNull();
    expect(screen.getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });
});
