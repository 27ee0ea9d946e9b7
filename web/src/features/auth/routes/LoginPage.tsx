import { useEffect, useRef, useState, type FormEvent } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { useQueryClient } from "@tanstack/react-query";
import { errorMessage, setCsrfToken } from "@/api/client";
import { Button } from "@/components/Button";
import { Field } from "@/components/Field";
import { Loading } from "@/components/States";
import { meQueryKey } from "@/lib/auth";
import { logIn, useLoginProviders } from "../api/session";
import "../auth.css";

/** Only same-site paths: a login link must never send the user elsewhere. */
export function safeReturnUrl(value: string | null): string {
  return value && value.startsWith("/") && !value.startsWith("//") && !value.startsWith("/\\") ? value : "/";
}

/** What the single sign-on callback says when it sent the browser back here. */
const ssoErrors: Record<string, string> = {
  access_denied: "Single sign-on refused: your account has no access to ResticManager (no group grants one), or it is disabled.",
};

export function LoginPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const returnUrl = safeReturnUrl(params.get("returnUrl"));
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [fieldErrors, setFieldErrors] = useState<{ username?: string; password?: string }>({});
  const [error, setError] = useState<string | null>(() => {
    const code = params.get("error");
    return code ? (ssoErrors[code] ?? `Single sign-on failed (${code}).`) : null;
  });
  const [busy, setBusy] = useState(false);
  const [waitUntil, setWaitUntil] = useState<number | null>(null);
  const providers = useLoginProviders();
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    document.title = "Log in · ResticManager";
  }, []);

  // After a 429 the button stays disabled until the server's Retry-After has passed.
  useEffect(() => {
    if (waitUntil === null) return;
    const timer = window.setTimeout(() => setWaitUntil(null), Math.max(0, waitUntil - Date.now()));
    return () => window.clearTimeout(timer);
  }, [waitUntil]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const missing = { username: username.trim() ? undefined : "Enter your username.", password: password ? undefined : "Enter your password." };
    setFieldErrors(missing);
    if (missing.username || missing.password) {
      setError(null);
      (missing.username ? usernameRef : passwordRef).current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const outcome = await logIn(username, password);
      if (outcome.ok) {
        setCsrfToken(outcome.session.csrfToken);
        await queryClient.invalidateQueries({ queryKey: meQueryKey });
        navigate(returnUrl, { replace: true });
        return;
      }
      setError(outcome.message);
      if (outcome.kind === "throttled") setWaitUntil(Date.now() + outcome.retryAfterSeconds * 1000);
      if (outcome.kind === "refused") setPassword("");
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const oidc = providers.data?.oidc;
  const localLogin = providers.data?.localLogin ?? true;
  return (
    <main id="main" className="login-page">
      <div className="login-card card stack">
        <p className="login-brand" aria-hidden="true">
          <span className="login-logo">⛁</span> ResticManager
        </p>
        <h1>Log in to ResticManager</h1>
        <p className="muted" style={{ margin: 0 }}>
          Backups of your whole fleet, in one place.
        </p>
        {providers.isPending ? (
          <Loading label="Loading the ways to log in…" />
        ) : (
          <>
            {error && (
              <p className="alert tone-bad" role="alert">
                {error}
              </p>
            )}
            <form onSubmit={submit} className="stack" noValidate>
              <fieldset disabled={!localLogin} className="stack login-fieldset">
                <legend className="visually-hidden">Username and password</legend>
                {!localLogin && <p className="muted">Password login is turned off on this server{oidc ? ": use single sign-on below." : "."}</p>}
                <Field label="Username" error={fieldErrors.username}>
                  <input ref={usernameRef} name="username" autoComplete="username" autoFocus={localLogin} value={username} onChange={(e) => setUsername(e.target.value)} required />
                </Field>
                <Field label="Password" error={fieldErrors.password}>
                  <input
                    type="password"
                    name="password"
                    autoComplete="current-password"
                    value={password}
                    onChange={(e) => setPassword(e.target.value)}
                    required
                    ref={passwordRef}
                  />
                </Field>
                <Button type="submit" variant="primary" busy={busy} disabled={waitUntil !== null}>
                  Log in
                </Button>
              </fieldset>
            </form>
            {oidc && (
              <>
                {localLogin && (
                  <p className="login-or" aria-hidden="true">
                    or
                  </p>
                )}
                <a className="btn btn-primary" href={`${oidc.loginUrl}?returnUrl=${encodeURIComponent(returnUrl)}`}>
                  Log in with {oidc.displayName}
                </a>
              </>
            )}
          </>
        )}
      </div>
    </main>
  );
}
