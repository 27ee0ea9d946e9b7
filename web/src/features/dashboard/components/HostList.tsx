import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useRef } from "react";
import type { Host, HostActivity, OverdueGroup } from "../api/queries";
import { columns, HostRow } from "./HostRow";

interface HostListProps {
  hosts: readonly Host[];
  activityByHost: ReadonlyMap<string, HostActivity>;
  overdueByHost: ReadonlyMap<string, OverdueGroup[]>;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
}

/** Rows rendered beyond the visible ones, so a quick scroll shows no blank rows. */
const overscan = 10;

/** Start fetching the next page this many rows before the end of the loaded ones. */
const prefetchRows = 50;

/**
 * The hosts as an ARIA table whose rows are virtual: only the rows in view (and a few more) exist in
 * the page, each with its aria-rowindex, so 10,000 hosts cost what a screenful does. Row heights are
 * measured (cards on narrow screens are taller).
 */
export function HostList({ hosts, activityByHost, overdueByHost, hasMore, loadingMore, onLoadMore }: HostListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: hosts.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 52,
    overscan,
    getItemKey: (i) => hosts[i]?.id ?? i,
    // jsdom and the first paint have no layout yet: assume a screenful.
    initialRect: { width: 1200, height: 800 },
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? -1;

  useEffect(() => {
    if (hasMore && !loadingMore && lastIndex >= hosts.length - prefetchRows) onLoadMore();
  }, [hasMore, loadingMore, lastIndex, hosts.length, onLoadMore]);

  return (
    <div role="table" aria-label="Hosts" aria-rowcount={hasMore ? -1 : hosts.length + 1} className="host-table">
      <div role="rowgroup" className="host-head">
        <div role="row" aria-rowindex={1} className="host-row">
          {columns.map((c) => (
            <div role="columnheader" key={c} className="cell">
              {c}
            </div>
          ))}
        </div>
      </div>
      <div ref={scrollRef} className="host-scroll">
        <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
          {items.map((v) => {
            const host = hosts[v.index];
            if (!host) return null;
            return (
              <div
                role="row"
                key={v.key}
                data-index={v.index}
                ref={virtualizer.measureElement}
                aria-rowindex={v.index + 2}
                className="host-row"
                style={{ position: "absolute", top: 0, left: 0, width: "100%", transform: `translateY(${v.start}px)` }}
              >
                <HostRow host={host} activity={activityByHost.get(host.id)} overdue={overdueByHost.get(host.id)} />
              </div>
            );
          })}
        </div>
      </div>
      {loadingMore && (
        <p role="status" className="muted small">
          Loading more hosts…
        </p>
      )}
    </div>
  );
}
