import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "@/api/client";
import { useLiveEvent } from "@/lib/events";

export type Snapshot = Schemas["SnapshotView"];
export type TreeEntry = Schemas["TreeEntry"];
export type FileVersion = Schemas["FileVersion"];
export type DiffChange = Schemas["DiffChange"];
export type RestoreRequest = Schemas["RestoreRequest"];
export type TreeListing = Schemas["TreeListing"];
export type DiffListing = Schemas["DiffListing"];
type FilePage = Schemas["PageOfFileVersion"];

/** Agent queries page by this many entries (the server allows up to 500). */
const pageSize = 200;

export const snapshotKeys = {
  hosts: ["hosts", "all"] as const,
  list: (hostId: string) => ["snapshots", hostId] as const,
  tree: (hostId: string, snapshotId: string, path: string) => ["snapshots", hostId, "tree", snapshotId, path] as const,
  files: (hostId: string, by: "path" | "pattern", value: string) => ["snapshots", hostId, "files", by, value] as const,
  diff: (hostId: string, a: string, b: string) => ["snapshots", hostId, "diff", a, b] as const,
};

/** Every host the caller sees (the restore target picker); a fleet fits in a few pages. */
export function useAllHosts(enabled: boolean) {
  return useQuery({
    queryKey: snapshotKeys.hosts,
    enabled,
    queryFn: async () => {
      const hosts: Schemas["HostSummary"][] = [];
      let cursor: string | undefined;
      do {
        const page = unwrap(await api.GET("/api/hosts", { params: { query: { cursor, limit: 500 } } }));
        hosts.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return hosts.sort((a, b) => a.hostname.localeCompare(b.hostname));
    },
  });
}

/** The host's snapshot catalogue, newest first; refreshed when the host reports new snapshots. */
export function useSnapshots(hostId: string) {
  const queryClient = useQueryClient();
  useLiveEvent("snapshots", (event) => {
    if (event.hostId === hostId) void queryClient.invalidateQueries({ queryKey: snapshotKeys.list(hostId), exact: true });
  });
  return useQuery({
    queryKey: snapshotKeys.list(hostId),
    queryFn: async () => {
      const result = unwrap(await api.GET("/api/hosts/{hostId}/snapshots", { params: { path: { hostId } } }));
      return { ...result, snapshots: [...result.snapshots].sort((a, b) => b.time.localeCompare(a.time)) };
    },
  });
}

/** The direct children of one folder of a snapshot, page by page ("Load more"). */
export function useFolder(hostId: string, snapshotId: string, path: string) {
  return useInfiniteQuery({
    queryKey: snapshotKeys.tree(hostId, snapshotId, path),
    initialPageParam: undefined as string | undefined,
    // A snapshot never changes: a listing once fetched stays right.
    staleTime: Infinity,
    retry: false,
    queryFn: async ({ pageParam }): Promise<TreeListing> =>
      unwrap(
        await api.GET("/api/hosts/{hostId}/snapshots/{snapshotId}/tree", {
          params: { path: { hostId, snapshotId }, query: { path, cursor: pageParam, limit: pageSize } },
        }),
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** Every snapshot holding one exact path (versions), or every match of restic's glob (search). */
export function useFileVersions(hostId: string, by: "path" | "pattern", value: string | null) {
  return useInfiniteQuery({
    queryKey: snapshotKeys.files(hostId, by, value ?? ""),
    enabled: !!value,
    initialPageParam: undefined as string | undefined,
    retry: false,
    queryFn: async ({ pageParam }): Promise<FilePage> =>
      unwrap(
        await api.GET("/api/hosts/{hostId}/files", {
          params: { path: { hostId }, query: { [by]: value ?? "", cursor: pageParam, limit: pageSize } },
        }),
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** What changed between two snapshots: totals and the paged list of changes. */
export function useDiff(hostId: string, snapshotId: string, otherId: string) {
  return useInfiniteQuery({
    queryKey: snapshotKeys.diff(hostId, snapshotId, otherId),
    initialPageParam: undefined as string | undefined,
    staleTime: Infinity,
    retry: false,
    queryFn: async ({ pageParam }): Promise<DiffListing> =>
      unwrap(
        await api.GET("/api/hosts/{hostId}/snapshots/{snapshotId}/diff/{otherSnapshotId}", {
          params: { path: { hostId, snapshotId, otherSnapshotId: otherId }, query: { cursor: pageParam, limit: pageSize } },
        }),
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** Starts a restore (or its dry run) of one of the host's snapshots; answers the job's id. */
export function useStartRestore(hostId: string) {
  return useMutation({
    mutationFn: async (body: RestoreRequest) =>
      unwrap(await api.POST("/api/hosts/{hostId}/restores", { params: { path: { hostId } }, body })),
  });
}

/** The download URL of a file (as is) or a folder (tar or zip); a plain link, the session cookie goes along. */
export function downloadUrl(hostId: string, snapshotId: string, path: string, format?: "tar" | "zip"): string {
  const query = new URLSearchParams({ path });
  if (format) query.set("format", format);
  return `/api/hosts/${encodeURIComponent(hostId)}/snapshots/${encodeURIComponent(snapshotId)}/download?${query}`;
}
