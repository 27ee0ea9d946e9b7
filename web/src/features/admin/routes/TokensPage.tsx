import { useEffect, useRef, useState, type FormEvent } from "react";
import { fieldErrorOf, type Schemas } from "@/api/client";
import { Button } from "@/components/Button";
import { ConfirmDialog } from "@/components/ConfirmDialog";
import { CopyButton } from "@/components/CopyButton";
import { Field } from "@/components/Field";
import { PageHeader } from "@/components/PageHeader";
import { EmptyState, ErrorState, Loading } from "@/components/States";
import { StatusBadge } from "@/components/StatusBadge";
import { formatDateTime } from "@/lib/format";
import { useApiTokens, useCreateApiToken, useRevokeApiToken, type ApiTokenView } from "../api/apiTokens";
import { FormProblem } from "@/components/FormProblem";
import { GrantsEditor } from "../components/GrantsEditor";
import { describeGrant, newGrant, toRequests, type GrantDraft } from "../components/grants";
import { RequireFleetAdmin } from "../components/RequireFleetAdmin";
import "../admin.css";

export function TokensPage() {
  return (
    <RequireFleetAdmin title="API tokens">
      <Tokens />
    </RequireFleetAdmin>
  );
}

function Tokens() {
  // The secret lives only in this component's state: leaving the page forgets it for good.
  const [created, setCreated] = useState<Schemas["ApiTokenCreated"] | null>(null);
  const [revoking, setRevoking] = useState<ApiTokenView | null>(null);
  const revoke = useRevokeApiToken();
  return (
    <>
      <PageHeader title="API tokens">
        <p className="muted" style={{ margin: 0 }}>
          Tokens for scripts and automation (<code>Authorization: Bearer …</code>), each with its own grants.
        </p>
      </PageHeader>
      {created ? <CreatedToken token={created} onDone={() => setCreated(null)} /> : <CreateTokenForm onCreated={setCreated} />}
      <TokenList onRevoke={setRevoking} />
      {revoking && (
        <ConfirmDialog title={`Revoke ${revoking.name}?`} confirmLabel="Revoke token" onConfirm={() => revoke.mutateAsync(revoking.id)} onClose={() => setRevoking(null)}>
          <p>
            Anything using <strong>{revoking.name}</strong> is refused from its very next request. This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

function CreateTokenForm({ onCreated }: { onCreated: (token: Schemas["ApiTokenCreated"]) => void }) {
  const create = useCreateApiToken();
  const form = useRef<HTMLFormElement>(null);
  const [name, setName] = useState("");
  const [grants, setGrants] = useState<GrantDraft[]>(() => [newGrant()]);
  const errorFor = (field: string) => fieldErrorOf(create.error, field);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name: name.trim(), grants: toRequests(grants) }, { onSuccess: onCreated });
  };
  return (
    <section aria-labelledby="token-create" className="card">
      <h2 id="token-create" style={{ marginTop: 0 }}>
        Create a token
      </h2>
      <form ref={form} className="stack" onSubmit={submit} noValidate>
        <FormProblem error={create.error} form={form} />
        <Field label="Token name" hint="What uses it, e.g. nightly-report." error={errorFor("name")}>
          <input autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} required />
        </Field>
        <GrantsEditor value={grants} onChange={setGrants} errorFor={errorFor} />
        <div>
          <Button type="submit" variant="primary" busy={create.isPending}>
            Create token
          </Button>
        </div>
      </form>
    </section>
  );
}

/** The new token's secret, once: copied now or never seen again. */
function CreatedToken({ token, onDone }: { token: Schemas["ApiTokenCreated"]; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section aria-labelledby="token-created" className="card stack alert tone-warn secret-once">
      <h2 id="token-created" ref={heading} tabIndex={-1} style={{ margin: 0 }}>
        Token {token.name} created
      </h2>
      <p style={{ margin: 0, color: "var(--text)" }}>
        <strong>
          <span aria-hidden="true">⚠ </span>Copy the secret now: you will not see it again.
        </strong>{" "}
        The server keeps only its hash.
      </p>
      <div className="field" style={{ color: "var(--text)" }}>
        <label className="field-label" htmlFor="api-token-secret">
          API token secret
        </label>
        <div className="row">
          <input id="api-token-secret" ref={input} className="mono" readOnly value={token.token} style={{ flex: "1 1 260px", minWidth: 0 }} onFocus={(e) => e.currentTarget.select()} />
          <CopyButton text={token.token} what="secret" target={() => input.current} />
        </div>
      </div>
      <p style={{ margin: 0, color: "var(--text)" }}>Grants: {token.grants.map(describeGrant).join(", ")}</p>
      <div>
        <Button variant="primary" onClick={onDone}>
          Done, I copied it
        </Button>
      </div>
    </section>
  );
}

function TokenList({ onRevoke }: { onRevoke: (token: ApiTokenView) => void }) {
  const tokens = useApiTokens();
  return (
    <section aria-labelledby="token-list">
      <h2 id="token-list">Tokens</h2>
      {tokens.isPending ? (
        <Loading label="Loading tokens…" />
      ) : tokens.isError ? (
        <ErrorState error={tokens.error} onRetry={() => tokens.refetch()} />
      ) : tokens.data.items.length === 0 ? (
        <EmptyState title="No API tokens yet." />
      ) : (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">API tokens (secrets are never shown again)</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Grants</th>
                <th scope="col">Created</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.items.map((t) => (
                <tr key={t.id}>
                  <th scope="row" style={{ color: "var(--text)" }}>
                    {t.name}
                  </th>
                  <td>{t.grants.map(describeGrant).join(", ")}</td>
                  <td>{formatDateTime(t.createdAt)}</td>
                  <td>
                    {t.revokedAt ? (
                      <StatusBadge status="revoked" label={`Revoked ${formatDateTime(t.revokedAt)}`} />
                    ) : (
                      <StatusBadge status="active" label="Active" tone="ok" />
                    )}
                  </td>
                  <td>
                    {!t.revokedAt && (
                      <Button variant="danger" onClick={() => onRevoke(t)} aria-label={`Revoke ${t.name}`}>
                        Revoke
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
