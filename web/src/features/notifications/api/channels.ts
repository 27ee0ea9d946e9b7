import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "@/api/client";

export type ChannelView = Schemas["NotificationChannelView"];
export type ChannelKind = NonNullable<ChannelView["kind"]>;
export type ChannelTestResult = Schemas["ChannelTestResult"];

/** What a channel is created or replaced with; a secret setting left out keeps the stored one, null removes it. */
export interface ChannelBody {
  name: string;
  kind: ChannelKind;
  settings: Record<string, unknown>;
}

export const channelsKey = ["notifications", "channels"] as const;

/** Every channel, without its secrets (a fleet has a handful: one page of the largest size). */
export function useChannels() {
  return useQuery({
    queryKey: channelsKey,
    queryFn: async () => unwrap(await api.GET("/api/notification-channels", { params: { query: { limit: 500 } } })),
  });
}

/** Creates a channel (no id) or replaces one. */
export function useSaveChannel() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, body }: { id?: string; body: ChannelBody }) =>
      id
        ? unwrap(await api.PUT("/api/notification-channels/{channelId}", { params: { path: { channelId: id } }, body }))
        : unwrap(await api.POST("/api/notification-channels", { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: channelsKey }),
  });
}

export function useDeleteChannel() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => unwrap(await api.DELETE("/api/notification-channels/{channelId}", { params: { path: { channelId: id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: channelsKey }),
  });
}

/** Sends a sample notification now; the answer says whether the destination took it, and what it said. */
export function useTestChannel() {
  return useMutation({
    mutationFn: async (id: string) => unwrap(await api.POST("/api/notification-channels/{channelId}/test", { params: { path: { channelId: id } } })),
  });
}
