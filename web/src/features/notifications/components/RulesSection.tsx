import { useState } from "react";
import { Button } from "@/components/Button";
import { ConfirmDialog } from "@/components/ConfirmDialog";
import { EmptyState, ErrorState, Loading } from "@/components/States";
import { StatusBadge } from "@/components/StatusBadge";
import { useChannels } from "../api/channels";
import { useDeleteRule, useRules, type RuleView } from "../api/rules";
import { eventLabel } from "./events";
import { RuleDialog } from "./RuleDialog";

/** The rules: which events about which hosts go to which channels. */
export function RulesSection() {
  const rules = useRules();
  const channels = useChannels();
  const remove = useDeleteRule();
  const [editing, setEditing] = useState<RuleView | "new" | null>(null);
  const [deleting, setDeleting] = useState<RuleView | null>(null);
  const channelList = channels.data?.items ?? [];
  const channelName = (id: string) => channelList.find((c) => c.id === id)?.name ?? id;
  return (
    <section aria-labelledby="notification-rules" className="stack">
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h2 id="notification-rules" style={{ margin: 0 }}>
          Rules
        </h2>
        <Button variant="primary" onClick={() => setEditing("new")} disabled={!channels.isSuccess}>
          Add a rule
        </Button>
      </div>
      {rules.isPending ? (
        <Loading label="Loading rules…" />
      ) : rules.isError ? (
        <ErrorState error={rules.error} onRetry={() => rules.refetch()} />
      ) : rules.data.items.length === 0 ? (
        <EmptyState title="No rules yet.">
          <p>Nothing is sent until a rule says which events go to which channels.</p>
        </EmptyState>
      ) : (
        <ul className="notification-list" aria-label="Rules">
          {rules.data.items.map((r) => (
            <li key={r.id} className="notification-item">
              <div className="stack" style={{ gap: "var(--space-1)", minWidth: 0 }}>
                <h3 style={{ margin: 0 }}>
                  {r.name}{" "}
                  {r.enabled ? <StatusBadge status="enabled" label="Enabled" tone="ok" /> : <StatusBadge status="disabled" label="Disabled" tone="idle" />}
                </h3>
                <p style={{ margin: 0 }}>{r.events.map(eventLabel).join(", ")}</p>
                <p className="muted" style={{ margin: 0 }}>
                  Hosts <span className="mono">{r.scope}</span> → {r.channelIds.map(channelName).join(", ")}
                  {r.minDuration && <> · lasting at least {r.minDuration}</>}
                  {r.digest?.every && <> · digest every {r.digest.every}</>}
                </p>
              </div>
              <div className="row notification-actions">
                <Button onClick={() => setEditing(r)} disabled={!channels.isSuccess} aria-label={`Edit ${r.name}`}>
                  Edit
                </Button>
                <Button variant="danger" onClick={() => setDeleting(r)} aria-label={`Delete ${r.name}`}>
                  Delete
                </Button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {editing && <RuleDialog rule={editing === "new" ? undefined : editing} channels={channelList} onClose={() => setEditing(null)} />}
      {deleting && (
        <ConfirmDialog title={`Delete ${deleting.name}?`} confirmLabel="Delete rule" onConfirm={() => remove.mutateAsync(deleting.id)} onClose={() => setDeleting(null)}>
          <p>
            Nothing more is sent for <strong>{deleting.name}</strong>. Its past deliveries stay in the history.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
