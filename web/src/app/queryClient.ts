import { QueryClient } from "@tanstack/react-query";
import { ApiError } from "@/api/client";

/**
 * Server state lives in TanStack Query. Nothing refetches on a timer: live events invalidate what
 * they change (src/lib/events.ts). A 4xx is an answer, not a glitch, so it is not retried.
 */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
    },
  },
});
