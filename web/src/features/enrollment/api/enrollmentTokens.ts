import { useMutation } from "@tanstack/react-query";
import { api, unwrap } from "@/api/client";

/** Creates a one-time enrollment token (shown once: the server keeps only its hash; out of the mutation cache once unshown). */
export function useCreateEnrollmentToken() {
  return useMutation({
    gcTime: 0,
    mutationFn: async (ttlMinutes: number) => unwrap(await api.POST("/api/enrollment-tokens", { body: { ttlMinutes } })),
  });
}
