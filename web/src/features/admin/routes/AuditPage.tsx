import { useRef, useState, type FormEvent } from "react";
import { useSearchParams } from "react-router";
import { fieldErrorOf } from "@/api/client";
import { Button } from "@/components/Button";
import { Field } from "@/components/Field";
import { PageHeader } from "@/components/PageHeader";
import { EmptyState, Loading } from "@/components/States";
import { canFleetWide, useMe } from "@/lib/auth";
import { useAudit, type AuditFilters } from "../api/audit";
import { AuditEntryItem } from "../components/AuditEntryItem";
import { FormProblem } from "@/components/FormProblem";
import "../admin.css";

const filterNames = ["actor", "hostId", "action", "from", "to"] as const;
type FilterName = (typeof filterNames)[number];

/** Actions as the server records them (METHOD /route/template), offered as suggestions. */
const commonActions = [
  "POST /api/session",
  "POST /api/users",
  "PUT /api/users/{userId}",
  "DELETE /api/users/{userId}",
  "POST /api/users/{userId}/password",
  "POST /api/api-tokens",
  "DELETE /api/api-tokens/{id}",
  "POST /api/enrollment-tokens",
  "POST /api/hosts/{hostId}/jobs",
  "POST /api/hosts/{hostId}/restores",
  "PUT /api/hosts/{hostId}/repository",
  "PUT /api/hosts/{hostId}/labels",
  "POST /api/jobs/{jobId}/cancel",
  "GET /api/hosts/{hostId}/snapshots/{snapshotId}/download",
];

/** A datetime-local value ("2026-11-29T12:00") in the browser's zone, as the ISO 8601 instant the server takes. */
function toIso(local: string | null): string | undefined {
  if (!local) return undefined;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? local : date.toISOString();
}

/** The audit log, newest first; filters live in the address so a filtered view can be shared. */
export function AuditPage() {
  const me = useMe();
  const admin = canFleetWide(me.data, "admin");
  const [params, setParams] = useSearchParams();
  const applied: AuditFilters = {
    actor: admin ? params.get("actor") || undefined : undefined,
    hostId: params.get("hostId") || undefined,
    action: params.get("action") || undefined,
    from: toIso(params.get("from")),
    to: toIso(params.get("to")),
  };
  const audit = useAudit(applied);
  const form = useRef<HTMLFormElement>(null);
  const [draft, setDraft] = useState<Record<FilterName, string>>(() => Object.fromEntries(filterNames.map((n) => [n, params.get(n) ?? ""])) as Record<FilterName, string>);
  const errorFor = (field: string) => fieldErrorOf(audit.error, field);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const name of filterNames) if (draft[name].trim()) next.set(name, draft[name].trim());
    setParams(next);
  };
  const clear = () => {
    setDraft({ actor: "", hostId: "", action: "", from: "", to: "" });
    setParams(new URLSearchParams());
  };
  const set = (name: FilterName) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [name]: e.target.value }));
  const entries = audit.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = filterNames.some((n) => params.get(n));

  return (
    <>
      <PageHeader title="Audit log">
        <p className="muted" style={{ margin: 0 }}>
          {admin ? "Every change and every look into a snapshot, newest first." : "Your own actions, newest first (a fleet admin sees everyone's)."}
        </p>
      </PageHeader>
      <form ref={form} className="card audit-filters" onSubmit={apply} aria-label="Filter the audit log" noValidate>
        {admin && (
          <Field label="Actor" hint="User or token name, or id." error={errorFor("actor")}>
            <input value={draft.actor} onChange={set("actor")} autoComplete="off" />
          </Field>
        )}
        <Field label="Host id" error={errorFor("hostId")}>
          <input value={draft.hostId} onChange={set("hostId")} autoComplete="off" className="mono" />
        </Field>
        <Field label="Action" hint="METHOD /route, e.g. POST /api/users" error={errorFor("action")}>
          <input value={draft.action} onChange={set("action")} list="audit-actions" autoComplete="off" className="mono" />
        </Field>
        <datalist id="audit-actions">
          {commonActions.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
        <Field label="From" error={errorFor("from")}>
          <input type="datetime-local" value={draft.from} onChange={set("from")} />
        </Field>
        <Field label="To" error={errorFor("to")}>
          <input type="datetime-local" value={draft.to} onChange={set("to")} />
        </Field>
        <div className="row">
          <Button type="submit" variant="primary">
            Apply filters
          </Button>
          {filtered && <Button onClick={clear}>Clear filters</Button>}
        </div>
      </form>
      <section aria-labelledby="audit-entries">
        <h2 id="audit-entries">Entries</h2>
        {audit.isPending ? (
          <Loading label="Loading the audit log…" />
        ) : audit.isError && entries.length === 0 ? (
          <FormProblem error={audit.error} form={form} />
        ) : entries.length === 0 ? (
          <EmptyState title={filtered ? "No entries match these filters." : "No entries yet."} />
        ) : (
          <ol className="audit-list" aria-label="Audit entries, newest first">
            {entries.map((e) => (
              <AuditEntryItem key={e.id} entry={e} />
            ))}
          </ol>
        )}
        {audit.hasNextPage && (
          <p>
            <Button onClick={() => audit.fetchNextPage()} busy={audit.isFetchingNextPage}>
              Load more
            </Button>
          </p>
        )}
        {audit.isFetchNextPageError && (
          <p className="alert tone-bad" role="alert">
            The next entries could not be loaded. Try again.
          </p>
        )}
      </section>
    </>
  );
}
