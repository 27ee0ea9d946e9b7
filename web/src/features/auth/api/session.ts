import { useMutation, useQuery } from "@tanstack/react-query";
import { api, ApiError, unwrap, type Schemas } from "@/api/client";
import { liveSessionChanged } from "@/lib/events";

/** What the login page offers: the password form, single sign-on, or both. */
export function useLoginProviders() {
  return useQuery({ queryKey: ["login-providers"], queryFn: async () => unwrap(await api.GET("/api/session/providers")), staleTime: Infinity });
}

/** A refused login, said for a person: wrong credentials, too many attempts (with the wait), or turned off. */
export type LoginOutcome =
  | { ok: true; session: Schemas["SessionStarted"] }
  | { ok: false; kind: "refused" | "disabled" | "other"; message: string }
  | { ok: false; kind: "throttled"; message: string; retryAfterSeconds: number };

export async function logIn(username: string, password: string): Promise<LoginOutcome> {
  const result = await api.POST("/api/session", { body: { username, password } });
  const status = result.response.status;
  if (result.response.ok && result.data) {
    // A stream another tab (or the worker) holds still carries the previous session's cookie.
    liveSessionChanged();
    return { ok: true, session: result.data };
  }
  if (status === 429) {
    const retry = Number.parseInt(result.response.headers.get("Retry-After") ?? "", 10);
    const seconds = Number.isFinite(retry) && retry > 0 ? retry : 60;
    return { ok: false, kind: "throttled", retryAfterSeconds: seconds, message: `Too many login attempts from this address. Try again in ${seconds} s.` };
  }
  if (status === 401) {
    // The server answers a locked account exactly like a wrong password (it never says which), so say both.
    return {
      ok: false,
      kind: "refused",
      message: "Wrong username or password. After several failed attempts in a row the account is locked for a while; an admin can unlock it by setting a new password.",
    };
  }
  if (status === 403) return { ok: false, kind: "disabled", message: "Password login is turned off on this server." };
  try {
    unwrap(result);
  } catch (e) {
    if (e instanceof ApiError) return { ok: false, kind: "other", message: e.problem.detail ?? e.problem.title };
  }
  return { ok: false, kind: "other", message: `The login failed (HTTP ${status}).` };
}

/** Changes the signed-in user's own password; the server ends its other sessions. The passwords leave the mutation cache once unobserved. */
export function useChangePassword() {
  return useMutation({
    gcTime: 0,
    mutationFn: async (body: { currentPassword: string; newPassword: string }) => unwrap(await api.PUT("/api/me/password", { body })),
  });
}
