import { useId, useState } from "react";
import { Button } from "@/components/Button";
import { EmptyState, ErrorState, Loading } from "@/components/States";
import { StatusBadge, type Tone } from "@/components/StatusBadge";
import { formatDateTime } from "@/lib/format";
import { useDeliveries, type Delivery, type DeliveryStatus } from "../api/history";
import { kindLabel } from "./channelKinds";

const pending = { value: "pending", label: "Pending", tone: "info" } as const;
const statuses: { value: DeliveryStatus; label: string; tone: Tone }[] = [
  pending,
  { value: "sent", label: "Sent", tone: "ok" },
  { value: "failed", label: "Failed", tone: "bad" },
];

/** What was sent where, newest first, with each channel's last answer; fetched on demand, never polled. */
export function HistorySection() {
  const [status, setStatus] = useState<DeliveryStatus | "">("");
  const deliveries = useDeliveries(status || undefined);
  const filterId = useId();
  const items = deliveries.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby="notification-history" className="stack">
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h2 id="notification-history" style={{ margin: 0 }}>
          Delivery history
        </h2>
        <div className="row">
          <label htmlFor={filterId} className="field-label">
            Status
          </label>
          <select id={filterId} value={status} onChange={(e) => setStatus(e.target.value as DeliveryStatus | "")}>
            <option value="">All</option>
            {statuses.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
          <Button onClick={() => deliveries.refetch()} busy={deliveries.isRefetching && !deliveries.isFetchingNextPage}>
            Refresh
          </Button>
        </div>
      </div>
      {deliveries.isPending ? (
        <Loading label="Loading the delivery history…" />
      ) : deliveries.isError && items.length === 0 ? (
        <ErrorState error={deliveries.error} onRetry={() => deliveries.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title={status ? `No ${status} deliveries.` : "Nothing sent yet."} />
      ) : (
        <ol className="notification-list" aria-label="Deliveries, newest first">
          {items.map((d) => (
            <DeliveryItem key={d.id} delivery={d} />
          ))}
        </ol>
      )}
      {deliveries.hasNextPage && (
        <p style={{ margin: 0 }}>
          <Button onClick={() => deliveries.fetchNextPage()} busy={deliveries.isFetchingNextPage}>
            Load more
          </Button>
        </p>
      )}
      {deliveries.isFetchNextPageError && (
        <p className="alert tone-bad" role="alert">
          The next deliveries could not be loaded. Try again.
        </p>
      )}
    </section>
  );
}

function DeliveryItem({ delivery: d }: { delivery: Delivery }) {
  const s = statuses.find((x) => x.value === d.status) ?? pending;
  const attempts = `${d.attempts} attempt${d.attempts === 1 ? "" : "s"}`;
  return (
    <li className="notification-item notification-delivery">
      <div className="stack" style={{ gap: "var(--space-1)", minWidth: 0 }}>
        <p style={{ margin: 0 }}>
          <strong>{d.title}</strong>
          {d.itemCount > 1 && <span className="muted"> ({d.itemCount} events)</span>}
        </p>
        <p className="muted" style={{ margin: 0 }}>
          To {d.channelName ?? <em>a deleted channel</em>} ({kindLabel(d.channelKind)}) · <time dateTime={d.createdAt}>{formatDateTime(d.createdAt)}</time> · {attempts}
          {d.sentAt && <> · sent {formatDateTime(d.sentAt)}</>}
          {d.nextAttemptAt && <> · next attempt {formatDateTime(d.nextAttemptAt)}</>}
        </p>
        {d.lastAnswer && (
          <p style={{ margin: 0 }}>
            Answer: <span className="mono notification-wrap">{d.lastAnswer}</span>
          </p>
        )}
      </div>
      <div>
        <StatusBadge status={d.status} label={s.label} tone={s.tone} />
      </div>
    </li>
  );
}
