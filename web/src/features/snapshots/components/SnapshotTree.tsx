import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { formatBytes, formatDateTime } from "@/lib/format";
import { errorMessage } from "@/api/client";
import { Loading } from "@/components/States";
import { useFolder, type TreeEntry } from "../api/snapshots";
import { AgentQueryError } from "./AgentQueryError";
import { ancestorsOf } from "./paths";

interface TreeContext {
  hostId: string;
  snapshotId: string;
  expanded: ReadonlySet<string>;
  selected: { has(path: string): boolean };
  /** The item holding the roving tab stop (null: the first one). */
  focused: string | null;
  toggleExpanded: (path: string) => void;
  toggleSelected: (entry: TreeEntry) => void;
  setFocused: (path: string) => void;
  /** Moves the keyboard focus to an item once it is rendered (after "Load more"). */
  focusWhenShown: (path: string) => void;
}

export interface SnapshotTreeProps {
  hostId: string;
  snapshotId: string;
  label: string;
  /** Selected paths (files and folders). */
  selected: { has(path: string): boolean };
  onToggleSelected: (entry: TreeEntry) => void;
  /** A path to reveal at first: its folders are opened. */
  reveal?: string | null;
}

const moreSuffix = "\u0000more";

/**
 * The folders of a snapshot as a keyboard-accessible tree (WAI-ARIA tree pattern): a folder's
 * children are asked of the agent only when it is opened, page by page ("Load more"). Arrow keys
 * move and open/close, Space selects, Enter opens a folder or activates "Load more"/"Try again";
 * the checkboxes select with the mouse.
 */
export function SnapshotTree({ hostId, snapshotId, label, selected, onToggleSelected, reveal }: SnapshotTreeProps) {
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set(reveal ? ancestorsOf(reveal).slice(1) : []));
  const [focused, setFocused] = useState<string | null>(null);
  const treeRef = useRef<HTMLUListElement>(null);
  const pendingFocus = useRef<string | null>(null);
  useEffect(() => {
    if (!pendingFocus.current) return;
    const element = items().find((item) => item.dataset.path === pendingFocus.current);
    if (element) {
      pendingFocus.current = null;
      element.focus();
    }
  });
  const root = useFolder(hostId, snapshotId, "/");

  const toggleExpanded = (path: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(path)) next.delete(path);
      else next.add(path);
      return next;
    });

  const context: TreeContext = {
    hostId,
    snapshotId,
    expanded,
    selected,
    focused,
    toggleExpanded,
    toggleSelected: onToggleSelected,
    setFocused,
    focusWhenShown: (path) => {
      pendingFocus.current = path;
      setFocused(path);
    },
  };

  const items = () => Array.from(treeRef.current?.querySelectorAll<HTMLElement>('[role="treeitem"]') ?? []);

  const focusItem = (element: HTMLElement | null | undefined) => {
    if (!element) return;
    setFocused(element.dataset.path ?? null);
    element.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const current = (event.target as HTMLElement).closest<HTMLElement>('[role="treeitem"]');
    if (!current || !treeRef.current?.contains(current)) return;
    const all = items();
    const index = all.indexOf(current);
    const path = current.dataset.path ?? "";
    const isDir = current.getAttribute("aria-expanded") !== null;
    const isOpen = current.getAttribute("aria-expanded") === "true";
    let handled = true;
    switch (event.key) {
      case "ArrowDown":
        focusItem(all[index + 1]);
        break;
      case "ArrowUp":
        focusItem(all[index - 1]);
        break;
      case "Home":
        focusItem(all[0]);
        break;
      case "End":
        focusItem(all[all.length - 1]);
        break;
      case "ArrowRight":
        if (isDir && !isOpen) toggleExpanded(path);
        else if (isOpen) focusItem(all[index + 1]);
        break;
      case "ArrowLeft":
        if (isOpen) toggleExpanded(path);
        // The parent is the item owning the group this one is in (its previous sibling).
        else focusItem(current.closest<HTMLElement>('[role="group"]')?.previousElementSibling as HTMLElement | null);
        break;
      case "Enter":
      case " ":
        if (current.dataset.action) current.click();
        else if (event.key === "Enter" && isDir) toggleExpanded(path);
        else if (event.key === " ") current.querySelector<HTMLInputElement>('input[type="checkbox"]')?.click();
        else handled = false;
        break;
      default:
        handled = false;
    }
    if (handled) {
      event.preventDefault();
      event.stopPropagation();
    }
  };

  if (root.isPending) return <Loading label="Listing the snapshot…" />;
  if (root.isError) return <AgentQueryError error={root.error} onRetry={() => void root.refetch()} />;
  const entries = root.data.pages.flatMap((page) => page.items);
  if (entries.length === 0) return <p className="muted">This snapshot holds no files.</p>;

  return (
    <div className="snapshot-tree">
      <div className="tree-columns" aria-hidden="true">
        <span>Name</span>
        <span>Size</span>
        <span>Modified</span>
      </div>
      <ul role="tree" aria-label={label} aria-multiselectable="true" ref={treeRef} onKeyDown={onKeyDown}>
        <FolderChildren context={context} path="/" level={1} query={root} />
      </ul>
    </div>
  );
}

type FolderQuery = ReturnType<typeof useFolder>;

/** The items of one opened folder, with "Load more" while the agent has more. */
function FolderChildren({ context, path, level, query }: { context: TreeContext; path: string; level: number; query: FolderQuery }) {
  const entries = query.data?.pages.flatMap((page) => page.items) ?? [];
  const first = level === 1 && context.focused === null;
  return (
    <>
      {entries.map((entry, index) => (
        <TreeItem key={entry.path} context={context} entry={entry} level={level} position={index + 1} count={entries.length} tabStop={first && index === 0} />
      ))}
      {query.hasNextPage && (
        <ActionItem
          context={context}
          id={path + moreSuffix}
          level={level}
          busy={query.isFetchingNextPage}
          onActivate={() => {
            const shown = entries.length;
            void query.fetchNextPage().then((result) => {
              const next = result.data?.pages.flatMap((page) => page.items)[shown];
              if (next) context.focusWhenShown(next.path);
            });
          }}
          text={query.isFetchingNextPage ? "Loading more…" : `Load more in ${path}`}
        />
      )}
      {query.isFetchNextPageError && (
        <li role="treeitem" aria-level={level} aria-disabled="true" tabIndex={-1} data-path={path + "\u0000failed"} className="tree-note field-error">
          <span style={{ paddingLeft: `calc(${level - 1} * 1.25rem + 28px)` }}>Could not load more: {errorMessage(query.error)}</span>
        </li>
      )}
    </>
  );
}

function TreeItem({ context, entry, level, position, count, tabStop }: { context: TreeContext; entry: TreeEntry; level: number; position: number; count: number; tabStop: boolean }) {
  const isDir = entry.type === "dir";
  const open = isDir && context.expanded.has(entry.path);
  const selected = context.selected.has(entry.path);
  const kind = isDir ? "Folder" : entry.type === "symlink" ? "Link" : entry.type === "other" ? "Special file" : "File";
  // The item is its row only, its opened folder a sibling group (aria-level, -posinset and -setsize
  // carry the nesting); its name is what it shows: name, kind, size, time.
  return (
    <li role="none">
      <div
        role="treeitem"
        className="tree-row"
        data-path={entry.path}
        aria-level={level}
        aria-posinset={position}
        aria-setsize={count}
        aria-expanded={isDir ? open : undefined}
        aria-selected={selected}
        tabIndex={tabStop || context.focused === entry.path ? 0 : -1}
        onFocus={(event) => {
          if (event.target === event.currentTarget) context.setFocused(entry.path);
        }}
        style={{ paddingLeft: `calc(${level - 1} * 1.25rem + var(--space-3))` }}
      >
        {/* For the mouse: the item itself says it is selected (aria-selected, Space toggles it). */}
        <input
          type="checkbox"
          tabIndex={-1}
          aria-hidden="true"
          checked={selected}
          title={`Select ${entry.name}`}
          onChange={() => context.toggleSelected(entry)}
          onClick={(event) => event.stopPropagation()}
        />
        <span
          className="tree-name"
          onClick={() => {
            context.setFocused(entry.path);
            if (isDir) context.toggleExpanded(entry.path);
          }}
        >
          {/* A triangle drawn in CSS: a text one would count against the item's name. */}
          <span className="tree-twisty" aria-hidden="true" />
          <span className="tree-label">
            {entry.name}
          </span>
        </span>
        {/* Said once, in words; the columns are for the eye. */}
        <span className="visually-hidden">{`, ${kind}${isDir ? "" : `, ${formatBytes(entry.size)}`}, modified ${formatDateTime(entry.mtime)}`}</span>
        <span className="tree-meta" aria-hidden="true">
          <span className="tree-size">{isDir ? "" : formatBytes(entry.size)}</span>
          <span className="tree-mtime">{formatDateTime(entry.mtime)}</span>
        </span>
      </div>
      {open && <OpenFolder context={context} path={entry.path} level={level + 1} />}
    </li>
  );
}

/** An opened folder: asks the agent for its children the first time. */
function OpenFolder({ context, path, level }: { context: TreeContext; path: string; level: number }) {
  const query = useFolder(context.hostId, context.snapshotId, path);
  return (
    <ul role="group" aria-label={path} aria-busy={query.isPending || undefined}>
      {query.isPending && (
        <li role="treeitem" aria-level={level} aria-disabled="true" tabIndex={-1} data-path={path + "\u0000loading"} className="tree-note">
          <span style={{ paddingLeft: `calc(${level - 1} * 1.25rem)` }}>Loading {path}…</span>
        </li>
      )}
      {query.isError && !query.data && (
        <ActionItem
          context={context}
          id={path + "\u0000retry"}
          level={level}
          onActivate={() => void query.refetch()}
          text={`Could not list ${path}: ${errorMessage(query.error)} Try again`}
          tone="bad"
        />
      )}
      {query.data && query.data.pages.every((page) => page.items.length === 0) && (
        <li role="treeitem" aria-level={level} aria-disabled="true" tabIndex={-1} data-path={path + "\u0000empty"} className="tree-note muted">
          <span style={{ paddingLeft: `calc(${level - 1} * 1.25rem)` }}>Empty folder</span>
        </li>
      )}
      {query.data && <FolderChildren context={context} path={path} level={level} query={query} />}
    </ul>
  );
}

/** A tree item that does something when activated ("Load more", "Try again"). */
function ActionItem({ context, id, level, text, onActivate, busy, tone }: { context: TreeContext; id: string; level: number; text: string; onActivate: () => void; busy?: boolean; tone?: "bad" }) {
  return (
    <li
      role="treeitem"
      data-path={id}
      data-action="true"
      aria-level={level}
      aria-busy={busy || undefined}
      tabIndex={context.focused === id ? 0 : -1}
      className={`tree-action${tone ? ` tone-${tone}` : ""}`}
      onFocus={(event) => {
        if (event.target === event.currentTarget) context.setFocused(id);
      }}
      onClick={() => {
        if (!busy) onActivate();
      }}
    >
      <span style={{ paddingLeft: `calc(${level - 1} * 1.25rem + 28px)` }}>{text}</span>
    </li>
  );
}
