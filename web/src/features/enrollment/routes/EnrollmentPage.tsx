import { useRef, useState, type FormEvent } from "react";
import { ApiError, errorMessage } from "@/api/client";
import { Button } from "@/components/Button";
import { CopyButton } from "@/components/CopyButton";
import { Field } from "@/components/Field";
import { PageHeader } from "@/components/PageHeader";
import { canFleetWide, useMe } from "@/lib/auth";
import { formatDateTime, formatRelative } from "@/lib/format";
import { useAgentBuilds } from "../api/agentBuilds";
import { useCreateEnrollmentToken } from "../api/enrollmentTokens";
import { InstallSnippet } from "../components/InstallSnippet";
import { linuxSnippet, windowsSnippet } from "../components/snippets";
import "../enrollment.css";

const lifetimes = [
  { minutes: 15, label: "15 minutes" },
  { minutes: 60, label: "1 hour" },
  { minutes: 24 * 60, label: "1 day" },
  { minutes: 7 * 24 * 60, label: "7 days" },
];

/** Creates a one-time enrollment token and shows it once, inside ready install snippets. */
export function EnrollmentPage() {
  const me = useMe();
  const create = useCreateEnrollmentToken();
  const builds = useAgentBuilds();
  const [ttl, setTtl] = useState(60);
  const tokenInput = useRef<HTMLInputElement>(null);
  const resultHeading = useRef<HTMLHeadingElement>(null);

  if (!canFleetWide(me.data, "operator")) {
    return (
      <>
        <PageHeader title="Enroll a host" />
        <p className="alert tone-info">Enrolling a host needs the operator role at every host (*).</p>
      </>
    );
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(ttl, { onSuccess: () => window.setTimeout(() => resultHeading.current?.focus(), 0) });
  };

  const created = create.data;
  const server = window.location.origin;
  const ttlError = create.error instanceof ApiError ? create.error.fieldError("ttlMinutes") : undefined;
  return (
    <>
      <PageHeader title="Enroll a host">
        <p className="muted" style={{ margin: 0 }}>
          A one-time token lets one agent enroll: it trades the token for its own identity and then connects on its own.
        </p>
      </PageHeader>
      <form className="card row enroll-form" onSubmit={submit}>
        <Field label="Token lifetime" error={ttlError}>
          <select value={ttl} onChange={(e) => setTtl(Number(e.target.value))}>
            {lifetimes.map((l) => (
              <option key={l.minutes} value={l.minutes}>
                {l.label}
              </option>
            ))}
          </select>
        </Field>
        <Button type="submit" variant="primary" busy={create.isPending}>
          {created ? "Create another token" : "Create enrollment token"}
        </Button>
      </form>
      {create.isError && !ttlError && (
        <p className="alert tone-bad" role="alert">
          {errorMessage(create.error)}
        </p>
      )}
      {created && (
        <section aria-labelledby="enroll-result" className="stack">
          <h2 id="enroll-result" ref={resultHeading} tabIndex={-1}>
            Install the agent
          </h2>
          <div className="card stack">
            <div className="field">
              <label className="field-label" htmlFor="enrollment-token">
                Enrollment token
              </label>
              <div className="row">
                <input
                  id="enrollment-token"
                  className="mono enroll-token"
                  readOnly
                  value={created.token}
                  aria-describedby="enrollment-token-expiry"
                  onFocus={(e) => e.currentTarget.select()}
                  ref={tokenInput}
                />
                <CopyButton text={created.token} what="token" target={() => tokenInput.current} />
              </div>
              <span id="enrollment-token-expiry" className="field-hint">
                Works once; expires {formatDateTime(created.expiresAt)} ({formatRelative(created.expiresAt)}). It is shown only now.
              </span>
            </div>
          </div>
          <div className="snippets">
            <InstallSnippet caption="Linux install snippet" text={linuxSnippet(server, created.token)} />
            <InstallSnippet caption="Windows install snippet" text={windowsSnippet(server, created.token)} />
          </div>
          <p className="muted">
            Run the Linux line on the host (it asks for root through sudo), or the Windows line in PowerShell as Administrator. It downloads the
            agent from this server, checks its SHA-256, installs it as a service, enrolls and starts it; the new host appears on the dashboard once
            it connects. Run it again later, without a token, to upgrade in place: the host keeps its enrollment.
          </p>
          {builds.data &&
            (builds.data.builds?.length ? (
              <p className="muted">
                This server ships agent {builds.data.version} for {builds.data.builds.map((b) => b.platform).join(", ")}.
              </p>
            ) : (
              <p className="alert tone-warn" role="status">
                This server has no agent builds to hand out, so the one-liners will stop with a message: build them with{" "}
                <code>packaging/build.sh</code> (or install the agent by hand, see the README).
              </p>
            ))}
        </section>
      )}
    </>
  );
}
