import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "@/api/client";
import type { GrantRequest } from "./users";

export type ApiTokenView = Schemas["ApiTokenView"];

const tokensKey = ["admin", "api-tokens"] as const;

/** API tokens without their secrets, revoked ones included. */
export function useApiTokens() {
  return useQuery({ queryKey: tokensKey, queryFn: async () => unwrap(await api.GET("/api/api-tokens")) });
}

/**
 * Creates a token; the answer carries its secret, which is never fetched again. Kept only while the page
 * shows it: the mutation leaves TanStack's mutation cache as soon as nothing observes it (gcTime 0).
 */
export function useCreateApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    gcTime: 0,
    mutationFn: async (body: { name: string; grants: GrantRequest[] }) => unwrap(await api.POST("/api/api-tokens", { body: { ...body, role: null } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tokensKey }),
  });
}

export function useRevokeApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => unwrap(await api.DELETE("/api/api-tokens/{id}", { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tokensKey }),
  });
}
