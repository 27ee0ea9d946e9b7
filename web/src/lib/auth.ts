import { useQuery } from "@tanstack/react-query";
import { api, setCsrfToken, unwrap, type Schemas } from "@/api/client";

export type Me = Schemas["Me"];
export type Role = "viewer" | "operator" | "admin";

const rank: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 };

export const meQueryKey = ["me"] as const;

/** The signed-in user (or undefined while loading); keeps the antiforgery token current. */
export function useMe() {
  return useQuery({
    queryKey: meQueryKey,
    queryFn: async () => {
      const me = unwrap(await api.GET("/api/me"));
      setCsrfToken(me.csrfToken);
      return me;
    },
    staleTime: 60_000,
    retry: false,
  });
}

/**
 * The caller's effective role on a host with these labels ("key=value"), as the server decides it
 * (ADR 12): the highest role among grants whose scope is "*" or "label:key=value" the host carries.
 */
export function roleOn(me: Me | undefined, hostLabels: readonly string[] | undefined): Role | null {
  let best: Role | null = null;
  for (const grant of me?.grants ?? []) {
    const role = grant.role as Role;
    const covers = grant.scope === "*" || (grant.scope.startsWith("label:") && (hostLabels ?? []).includes(grant.scope.slice(6)));
    if (covers && (best === null || rank[role] > rank[best])) {
      best = role;
    }
  }
  return best;
}

/** Whether the caller holds at least `role` on that host. */
export function can(me: Me | undefined, role: Role, hostLabels: readonly string[] | undefined): boolean {
  const held = roleOn(me, hostLabels);
  return held !== null && rank[held] >= rank[role];
}

/** Whether the caller holds at least `role` on some host (what the endpoint policies ask first). */
export function canAnywhere(me: Me | undefined, role: Role): boolean {
  return (me?.grants ?? []).some((g) => rank[g.role as Role] >= rank[role]);
}

/** The role at scope "*" (enrollment tokens, users, tokens, labels, the whole audit log). */
export function canFleetWide(me: Me | undefined, role: Role): boolean {
  return (me?.grants ?? []).some((g) => g.scope === "*" && rank[g.role as Role] >= rank[role]);
}
