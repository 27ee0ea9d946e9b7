import { useState } from "react";
import { fieldErrorOf } from "@/api/client";
import { ConfirmButton } from "@/components/ConfirmButton";
import { Button } from "@/components/Button";
import { Field } from "@/components/Field";
import { ErrorState, Loading } from "@/components/States";
import { formatDateTime } from "@/lib/format";
import {
  useAdminCredentials,
  useDeleteAdminCredentials,
  useDeleteRepository,
  usePutAdminCredentials,
  usePutRepository,
  useRepository,
  type Repository,
} from "../api/hosts";
import { formError, toEnv, toInt } from "./forms";

const secretHint = "Stored encrypted and never shown again; enter it again to change the binding.";

function RepositoryForm({ hostId, current, onDone }: { hostId: string; current: Repository | null; onDone: () => void }) {
  const save = usePutRepository(hostId);
  const [url, setUrl] = useState(current?.url ?? "");
  const [password, setPassword] = useState("");
  const [username, setUsername] = useState(current?.username ?? "");
  const [credential, setCredential] = useState("");
  const [env, setEnv] = useState("");
  const [upload, setUpload] = useState(current?.uploadLimitKBps?.toString() ?? "");
  const [download, setDownload] = useState(current?.downloadLimitKBps?.toString() ?? "");
  const err = (f: string) => fieldErrorOf(save.error, f);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    save.mutate(
      {
        url: url.trim(),
        password,
        username: username.trim() || null,
        credential: credential || null,
        env: toEnv(env),
        uploadLimitKBps: toInt(upload),
        downloadLimitKBps: toInt(download),
      },
      { onSuccess: onDone },
    );
  };

  return (
    <form onSubmit={submit} className="stack host-form" aria-label="Repository binding">
      <Field label="Repository URL" hint="As restic takes it: /srv/restic, sftp:user@host:/path, s3:…, rest:https://…" error={err("url")}>
        <input value={url} onChange={(e) => setUrl(e.target.value)} required autoComplete="off" />
      </Field>
      <Field label="Repository password" hint={current ? secretHint : "Stored encrypted and sent only to this host's agent."} error={err("password")}>
        <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} required autoComplete="new-password" />
      </Field>
      <Field label="Username (optional)" hint="For a REST server or a backend that takes one." error={err("username")}>
        <input value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" />
      </Field>
      <Field label="Credential (optional)" hint={current?.hasCredential ? `A credential is stored. ${secretHint}` : "The backend's secret (a REST server's password, a key)."} error={err("credential")}>
        <input type="password" value={credential} onChange={(e) => setCredential(e.target.value)} autoComplete="new-password" />
      </Field>
      <Field
        label="Environment (optional)"
        hint={`One NAME=value per line (AWS_ACCESS_KEY_ID=…).${current && current.envNames.length > 0 ? ` Stored now: ${current.envNames.join(", ")}; enter them again to keep them.` : ""}`}
        error={err("env")}
      >
        <textarea value={env} onChange={(e) => setEnv(e.target.value)} rows={3} spellCheck={false} />
      </Field>
      <div className="row">
        <Field label="Upload limit (KiB/s, optional)" error={err("uploadLimitKBps")}>
          <input inputMode="numeric" value={upload} onChange={(e) => setUpload(e.target.value)} />
        </Field>
        <Field label="Download limit (KiB/s, optional)" error={err("downloadLimitKBps")}>
          <input inputMode="numeric" value={download} onChange={(e) => setDownload(e.target.value)} />
        </Field>
      </div>
      {save.isError && (
        <p role="alert" className="field-error">
          {formError(save.error, ["url", "password", "username", "credential", "env", "uploadLimitKBps", "downloadLimitKBps"])}
        </p>
      )}
      <div className="row">
        <Button type="submit" variant="primary" busy={save.isPending}>
          {current ? "Save the binding" : "Bind the repository"}
        </Button>
        <Button onClick={onDone}>Cancel</Button>
      </div>
    </form>
  );
}

function AdminCredentialsSection({ hostId }: { hostId: string }) {
  const creds = useAdminCredentials(hostId, true);
  const save = usePutAdminCredentials(hostId);
  const remove = useDeleteAdminCredentials(hostId);
  const [editing, setEditing] = useState(false);
  const [url, setUrl] = useState("");
  const [username, setUsername] = useState("");
  const [credential, setCredential] = useState("");
  const [password, setPassword] = useState("");
  const [env, setEnv] = useState("");
  const err = (f: string) => fieldErrorOf(save.error, f);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    save.mutate(
      { url: url.trim() || null, username: username.trim() || null, credential: credential || null, password: password || null, env: toEnv(env) },
      { onSuccess: () => setEditing(false) },
    );
  };

  return (
    <section aria-labelledby="admin-credentials-heading">
      <h3 id="admin-credentials-heading">Admin credentials</h3>
      <p className="muted">Separate repository access used only by forget and prune (for an append-only repository).</p>
      {creds.isPending ? (
        <Loading />
      ) : creds.isError ? (
        <ErrorState error={creds.error} onRetry={() => creds.refetch()} />
      ) : editing ? (
        <form onSubmit={submit} className="stack host-form" aria-label="Admin credentials">
          <Field label="Admin repository URL (optional)" hint="Empty: the binding's URL." error={err("url")}>
            <input value={url} onChange={(e) => setUrl(e.target.value)} autoComplete="off" />
          </Field>
          <Field label="Admin username (optional)" error={err("username")}>
            <input value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" />
          </Field>
          <Field label="Admin credential (optional)" error={err("credential")}>
            <input type="password" value={credential} onChange={(e) => setCredential(e.target.value)} autoComplete="new-password" />
          </Field>
          <Field label="Admin repository password (optional)" error={err("password")}>
            <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" />
          </Field>
          <Field label="Admin environment (optional)" hint="One NAME=value per line." error={err("env")}>
            <textarea value={env} onChange={(e) => setEnv(e.target.value)} rows={2} spellCheck={false} />
          </Field>
          {save.isError && (
            <p role="alert" className="field-error">
              {formError(save.error, ["url", "username", "credential", "password", "env"])}
            </p>
          )}
          <div className="row">
            <Button type="submit" variant="primary" busy={save.isPending}>
              Save admin credentials
            </Button>
            <Button onClick={() => setEditing(false)}>Cancel</Button>
          </div>
        </form>
      ) : (
        <>
          {creds.data ? (
            <dl className="host-facts">
              <div>
                <dt>URL</dt>
                <dd className="mono">{creds.data.url ?? "the binding's"}</dd>
              </div>
              <div>
                <dt>Username</dt>
                <dd>{creds.data.username ?? "—"}</dd>
              </div>
              <div>
                <dt>Secrets stored</dt>
                <dd>{[creds.data.hasPassword && "password", creds.data.hasCredential && "credential", ...creds.data.envNames].filter(Boolean).join(", ") || "none"}</dd>
              </div>
              <div>
                <dt>Updated</dt>
                <dd>{formatDateTime(creds.data.updatedAt)}</dd>
              </div>
            </dl>
          ) : (
            <p>None: forget and prune use the binding's own access.</p>
          )}
          <div className="row">
            <Button onClick={() => setEditing(true)}>{creds.data ? "Replace admin credentials" : "Set admin credentials"}</Button>
            {creds.data && (
              <ConfirmButton label="Remove admin credentials" question="Remove the admin credentials?" onConfirm={() => remove.mutateAsync()} />
            )}
          </div>
        </>
      )}
    </section>
  );
}

/** The host's restic repository: where it is and which secrets are stored (never the secrets). */
export function RepositorySection({ hostId, canOperate, canAdmin }: { hostId: string; canOperate: boolean; canAdmin: boolean }) {
  const repo = useRepository(hostId);
  const unbind = useDeleteRepository(hostId);
  const [editing, setEditing] = useState(false);
  return (
    <section aria-labelledby="repository-heading">
      <h2 id="repository-heading">Repository</h2>
      {repo.isPending ? (
        <Loading label="Loading the repository…" />
      ) : repo.isError ? (
        <ErrorState error={repo.error} onRetry={() => repo.refetch()} />
      ) : editing ? (
        <RepositoryForm hostId={hostId} current={repo.data} onDone={() => setEditing(false)} />
      ) : repo.data ? (
        <>
          <dl className="host-facts">
            <div>
              <dt>URL</dt>
              <dd className="mono">{repo.data.url}</dd>
            </div>
            <div>
              <dt>Username</dt>
              <dd>{repo.data.username ?? "—"}</dd>
            </div>
            <div>
              <dt>Password</dt>
              <dd>{repo.data.hasPassword ? "stored" : "none"}</dd>
            </div>
            <div>
              <dt>Credential</dt>
              <dd>{repo.data.hasCredential ? "stored" : "none"}</dd>
            </div>
            <div>
              <dt>Environment</dt>
              <dd>{repo.data.envNames.length > 0 ? repo.data.envNames.join(", ") : "none"}</dd>
            </div>
            <div>
              <dt>Limits</dt>
              <dd>
                up {repo.data.uploadLimitKBps ? `${repo.data.uploadLimitKBps} KiB/s` : "unlimited"}, down{" "}
                {repo.data.downloadLimitKBps ? `${repo.data.downloadLimitKBps} KiB/s` : "unlimited"}
              </dd>
            </div>
            <div>
              <dt>Bound</dt>
              <dd>{formatDateTime(repo.data.updatedAt)}</dd>
            </div>
          </dl>
          {canOperate && (
            <div className="row">
              <Button onClick={() => setEditing(true)}>Change the binding</Button>
              <ConfirmButton label="Unbind" question="Unbind the repository?" onConfirm={() => unbind.mutateAsync()}>
                Backups stop until another is bound.
              </ConfirmButton>
            </div>
          )}
          {canAdmin && <AdminCredentialsSection hostId={hostId} />}
        </>
      ) : (
        <>
          <p>No repository is bound: this host cannot back up yet.</p>
          {canOperate && (
            <Button variant="primary" onClick={() => setEditing(true)}>
              Bind a repository
            </Button>
          )}
        </>
      )}
    </section>
  );
}
