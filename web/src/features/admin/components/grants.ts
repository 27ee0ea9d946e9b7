import type { Schemas } from "@/api/client";
import type { Role } from "@/lib/auth";
import type { GrantRequest } from "../api/users";

/** One row of the grants editor: a role over every host (*) or over the hosts with one label. */
export interface GrantDraft {
  key: number;
  role: Role;
  kind: "all" | "label";
  /** key=value, when kind is "label" */
  label: string;
}

let nextKey = 1;

export function newGrant(role: Role = "viewer"): GrantDraft {
  return { key: nextKey++, role, kind: "all", label: "" };
}

export function toDrafts(grants: readonly Schemas["Grant"][]): GrantDraft[] {
  return grants.map((g) => ({
    key: nextKey++,
    role: g.role as Role,
    kind: g.scope === "*" ? "all" : "label",
    label: g.scope.startsWith("label:") ? g.scope.slice("label:".length) : "",
  }));
}

/** What the server takes; it validates each grant and names the bad one (grants[1].scope). */
export function toRequests(drafts: readonly GrantDraft[]): GrantRequest[] {
  return drafts.map((d) => ({ role: d.role, scope: d.kind === "all" ? "*" : `label:${d.label.trim()}` }));
}

/** "admin on every host (*)", "viewer on label:site=paris". */
export function describeGrant(g: { role: string; scope: string }): string {
  return `${g.role} on ${g.scope === "*" ? "every host (*)" : g.scope}`;
}
