import { useState } from "react";
import { errorMessage } from "@/api/client";
import { Button } from "@/components/Button";
import { ConfirmDialog } from "@/components/ConfirmDialog";
import { EmptyState, ErrorState, Loading } from "@/components/States";
import { StatusBadge } from "@/components/StatusBadge";
import { useChannels, useDeleteChannel, useTestChannel, type ChannelView } from "../api/channels";
import { ChannelDialog } from "./ChannelDialog";
import { destinationOf, kindLabel } from "./channelKinds";

/** The channels: where notifications go. Each can be tried with a sample notification. */
export function ChannelsSection() {
  const channels = useChannels();
  const remove = useDeleteChannel();
  const [editing, setEditing] = useState<ChannelView | "new" | null>(null);
  const [deleting, setDeleting] = useState<ChannelView | null>(null);
  return (
    <section aria-labelledby="notification-channels" className="stack">
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h2 id="notification-channels" style={{ margin: 0 }}>
          Channels
        </h2>
        <Button variant="primary" onClick={() => setEditing("new")}>
          Add a channel
        </Button>
      </div>
      {channels.isPending ? (
        <Loading label="Loading channels…" />
      ) : channels.isError ? (
        <ErrorState error={channels.error} onRetry={() => channels.refetch()} />
      ) : channels.data.items.length === 0 ? (
        <EmptyState title="No channels yet.">
          <p>Add one (a webhook, email, ntfy, a chat service…), send it a test, then write a rule that uses it.</p>
        </EmptyState>
      ) : (
        <ul className="notification-list" aria-label="Channels">
          {channels.data.items.map((c) => (
            <ChannelItem key={c.id} channel={c} onEdit={() => setEditing(c)} onDelete={() => setDeleting(c)} />
          ))}
        </ul>
      )}
      {editing && <ChannelDialog channel={editing === "new" ? undefined : editing} onClose={() => setEditing(null)} />}
      {deleting && (
        <ConfirmDialog title={`Delete ${deleting.name}?`} confirmLabel="Delete channel" onConfirm={() => remove.mutateAsync(deleting.id)} onClose={() => setDeleting(null)}>
          <p>
            <strong>{deleting.name}</strong> and its stored secrets are deleted. A channel that a rule still uses cannot be deleted: take it out of the rule first.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function ChannelItem({ channel, onEdit, onDelete }: { channel: ChannelView; onEdit: () => void; onDelete: () => void }) {
  const test = useTestChannel();
  return (
    <li className="notification-item">
      <div className="stack" style={{ gap: "var(--space-1)", minWidth: 0 }}>
        <h3 style={{ margin: 0 }}>{channel.name}</h3>
        <p className="muted" style={{ margin: 0 }}>
          {kindLabel(channel.kind)}
          {destinationOf(channel) && (
            <>
              {" · "}
              <span className="mono notification-wrap">{destinationOf(channel)}</span>
            </>
          )}
        </p>
        <div role="status" aria-live="polite">
          {test.isSuccess && (
            <p style={{ margin: 0 }}>
              {test.data.delivered ? <StatusBadge status="delivered" label="Test delivered" tone="ok" /> : <StatusBadge status="failed" label="Test not delivered" tone="bad" />}{" "}
              <span className="mono notification-wrap">{test.data.answer}</span>
            </p>
          )}
          {test.isError && (
            <p className="field-error" style={{ margin: 0 }}>
              <span aria-hidden="true">✕ </span>The test could not be sent: {errorMessage(test.error)}
            </p>
          )}
        </div>
      </div>
      <div className="row notification-actions">
        <Button onClick={() => test.mutate(channel.id)} busy={test.isPending} aria-label={`Send test to ${channel.name}`}>
          Send test
        </Button>
        <Button onClick={onEdit} aria-label={`Edit ${channel.name}`}>
          Edit
        </Button>
        <Button variant="danger" onClick={onDelete} aria-label={`Delete ${channel.name}`}>
          Delete
        </Button>
      </div>
    </li>
  );
}
