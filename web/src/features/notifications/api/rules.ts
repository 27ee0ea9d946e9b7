import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "@/api/client";

export type RuleView = Schemas["NotificationRuleView"];
export type RuleBody = Schemas["NotificationRuleRequest"];
export type NotificationEvent = RuleView["events"][number];

export const rulesKey = ["notifications", "rules"] as const;

/** Every rule (a handful: one page of the largest size). */
export function useRules() {
  return useQuery({
    queryKey: rulesKey,
    queryFn: async () => unwrap(await api.GET("/api/notification-rules", { params: { query: { limit: 500 } } })),
  });
}

/** Creates a rule (no id) or replaces one. */
export function useSaveRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, body }: { id?: string; body: RuleBody }) =>
      id
        ? unwrap(await api.PUT("/api/notification-rules/{ruleId}", { params: { path: { ruleId: id } }, body }))
        : unwrap(await api.POST("/api/notification-rules", { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: rulesKey }),
  });
}

export function useDeleteRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => unwrap(await api.DELETE("/api/notification-rules/{ruleId}", { params: { path: { ruleId: id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: rulesKey }),
  });
}
