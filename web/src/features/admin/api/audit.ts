import { useInfiniteQuery } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "@/api/client";

export type AuditEntry = Schemas["AuditEntryView"];

export interface AuditFilters {
  actor?: string;
  hostId?: string;
  action?: string;
  /** ISO 8601 */
  from?: string;
  to?: string;
}

/** The audit log newest first, filtered by the server (a non-admin gets only its own entries). */
export function useAudit(filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: ["admin", "audit", filters],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) => unwrap(await api.GET("/api/audit", { params: { query: { ...filters, cursor: pageParam, limit: 50 } } })),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}
