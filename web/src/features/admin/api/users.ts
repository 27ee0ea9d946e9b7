import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "@/api/client";

export type UserView = Schemas["UserView"];
export type GrantRequest = { role: string; scope: string };

const usersKey = ["admin", "users"] as const;

/** Users page by page (ordered by id), "Load more" for the next. */
export function useUsers() {
  return useInfiniteQuery({
    queryKey: usersKey,
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) => unwrap(await api.GET("/api/users", { params: { query: { cursor: pageParam, limit: 100 } } })),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

/** `holdsPassword`: the variables carry a password, so the mutation leaves the mutation cache (gcTime 0) once unobserved. */
function useUserMutation<TArgs>(run: (args: TArgs) => Promise<unknown>, holdsPassword = false) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: run, onSuccess: () => queryClient.invalidateQueries({ queryKey: usersKey }), ...(holdsPassword && { gcTime: 0 }) });
}

export function useCreateUser() {
  return useUserMutation(
    async (body: { username: string; displayName: string | null; password: string | null; grants: GrantRequest[] }) =>
      unwrap(await api.POST("/api/users", { body })),
    true,
  );
}

export function useUpdateUser() {
  return useUserMutation(async ({ id, ...body }: { id: string; displayName: string | null; grants: GrantRequest[]; disabled: boolean }) =>
    unwrap(await api.PUT("/api/users/{userId}", { params: { path: { userId: id } }, body })),
  );
}

export function useResetPassword() {
  return useUserMutation(
    async ({ id, password }: { id: string; password: string }) =>
      unwrap(await api.POST("/api/users/{userId}/password", { params: { path: { userId: id } }, body: { password } })),
    true,
  );
}

export function useDeleteUser() {
  return useUserMutation(async (id: string) => unwrap(await api.DELETE("/api/users/{userId}", { params: { path: { userId: id } } })));
}
