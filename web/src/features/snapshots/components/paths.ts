/** The folder holding a path ("/" for a top-level entry). */
export function parentOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i <= 0 ? "/" : path.slice(0, i);
}

/** The folders above a path, outermost first, starting at "/" ("/srv/a/b" → ["/", "/srv", "/srv/a"]). */
export function ancestorsOf(path: string): string[] {
  const parts = path.split("/").filter(Boolean);
  const result = ["/"];
  for (let i = 1; i < parts.length; i++) result.push("/" + parts.slice(0, i).join("/"));
  return result;
}

/**
 * The paths to restore for a selection: sorted, without a path whose folder is selected too (a folder
 * restores with everything below it).
 */
export function restorePaths(selected: Iterable<string>): string[] {
  const sorted = [...new Set(selected)].sort();
  const kept: string[] = [];
  for (const path of sorted) {
    if (!kept.some((folder) => folder === "/" || path.startsWith(folder + "/"))) kept.push(path);
  }
  return kept;
}

/** The route to the restore wizard with a snapshot and paths filled in (relative to the snapshots pages). */
export function restoreLink(snapshotId: string | undefined, paths: readonly string[]): string {
  const query = new URLSearchParams();
  if (snapshotId) query.set("snapshot", snapshotId);
  for (const path of paths) query.append("path", path);
  const text = query.toString();
  return text ? `restore?${text}` : "restore";
}
