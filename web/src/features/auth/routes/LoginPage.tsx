import { useState, type FormEvent } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { api, ApiError, errorMessage, setCsrfToken, unwrap } from "@/api/client";
import { Button } from "@/components/Button";
import { Field } from "@/components/Field";
import { meQueryKey } from "@/lib/auth";

/** Only same-site paths: a login link must never send the user elsewhere. */
function safeReturnUrl(value: string | null): string {
  return value && value.startsWith("/") && !value.startsWith("//") ? value : "/";
}

export function LoginPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const returnUrl = safeReturnUrl(params.get("returnUrl"));
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const providers = useQuery({ queryKey: ["login-providers"], queryFn: async () => unwrap(await api.GET("/api/session/providers")) });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const started = unwrap(await api.POST("/api/session", { body: { username, password } }));
      setCsrfToken(started.csrfToken);
      await queryClient.invalidateQueries({ queryKey: meQueryKey });
      navigate(returnUrl, { replace: true });
    } catch (e) {
      setError(e instanceof ApiError && e.status === 401 ? "Wrong username or password." : errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const oidc = providers.data?.oidc;
  const localLogin = providers.data?.localLogin ?? true;
  return (
    <main id="main" className="app-main" style={{ maxWidth: 420 }}>
      <h1>Log in to ResticManager</h1>
      {localLogin && (
        <form onSubmit={submit} className="stack card" noValidate>
          <Field label="Username">
            <input autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
          </Field>
          <Field label="Password">
            <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
          </Field>
          {error && (
            <p className="field-error" role="alert">
              {error}
            </p>
          )}
          <Button type="submit" variant="primary" busy={busy}>
            Log in
          </Button>
        </form>
      )}
      {oidc && (
        <p>
          <a className="btn" href={`/api/session/oidc?returnUrl=${encodeURIComponent(returnUrl)}`}>
            Log in with {oidc.displayName}
          </a>
        </p>
      )}
    </main>
  );
}
