import { useRef, useState, type FormEvent } from "react";
import { ApiError, errorMessage } from "@/api/client";
import { Button } from "@/components/Button";
import { Field } from "@/components/Field";
import { PageHeader } from "@/components/PageHeader";
import { useMe } from "@/lib/auth";
import { useChangePassword } from "../api/session";

/** The signed-in user: who they are, their grants, and changing their own password. */
export function AccountPage() {
  const me = useMe();
  const change = useChangePassword();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [repeat, setRepeat] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const [done, setDone] = useState(false);
  const repeatRef = useRef<HTMLInputElement>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setDone(false);
    if (next !== repeat) {
      setMismatch(true);
      repeatRef.current?.focus();
      return;
    }
    setMismatch(false);
    change.mutate(
      { currentPassword: current, newPassword: next },
      {
        onSuccess: () => {
          setCurrent("");
          setNext("");
          setRepeat("");
          setDone(true);
        },
      },
    );
  };

  const error = change.error instanceof ApiError ? change.error : null;
  const currentError = error?.fieldError("currentPassword");
  const newError = error?.fieldError("newPassword");
  const otherError = change.error && !currentError && !newError ? errorMessage(change.error) : null;
  return (
    <>
      <PageHeader title="Your account" />
      {me.data && (
        <section aria-labelledby="account-who" className="card stack">
          <h2 id="account-who" style={{ margin: 0 }}>
            {me.data.name}
          </h2>
          <p style={{ margin: 0 }}>
            Grants:{" "}
            {me.data.grants.map((g) => `${g.role} on ${g.scope === "*" ? "every host (*)" : g.scope}`).join(", ") || "none"}
          </p>
        </section>
      )}
      <section aria-labelledby="account-password">
        <h2 id="account-password">Change password</h2>
        {me.data?.kind === "token" ? (
          <p>You are signed in with an API token, which has no password.</p>
        ) : (
          <form className="stack card" onSubmit={submit} noValidate style={{ maxWidth: 480 }}>
            <Field label="Current password" error={currentError}>
              <input type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} required />
            </Field>
            <Field label="New password" hint="12 to 128 characters." error={newError}>
              <input type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} required minLength={12} maxLength={128} />
            </Field>
            <Field label="Repeat the new password" error={mismatch ? "The two new passwords differ." : undefined}>
              <input ref={repeatRef} type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} required />
            </Field>
            {otherError && (
              <p className="alert tone-bad" role="alert">
                {otherError}
              </p>
            )}
            <p role="status" className={done ? "alert tone-ok" : "visually-hidden"}>
              {done ? "✓ Password changed. Your other sessions have been logged out." : ""}
            </p>
            <div>
              <Button type="submit" variant="primary" busy={change.isPending}>
                Change password
              </Button>
            </div>
          </form>
        )}
      </section>
    </>
  );
}
