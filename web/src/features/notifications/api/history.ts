import { useInfiniteQuery } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "@/api/client";

export type Delivery = Schemas["DeliveryView"];
export type DeliveryStatus = Delivery["status"];

/** The delivery history newest first, one page at a time (the cursor is the last delivery's id). */
export function useDeliveries(status: DeliveryStatus | undefined) {
  return useInfiniteQuery({
    queryKey: ["notifications", "history", { status }],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) => unwrap(await api.GET("/api/notifications", { params: { query: { status, cursor: pageParam, limit: 50 } } })),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}
