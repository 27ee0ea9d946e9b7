import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "@/api/client";
import { jobKeys } from "@/lib/jobs";

export type LogLine = Schemas["LogLineView"];

export function useCancelJob(jobId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => unwrap(await api.POST("/api/jobs/{jobId}/cancel", { params: { path: { jobId } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: jobKeys.job(jobId) }),
  });
}

/** Every log line after `afterSeq`, page by page. */
export async function fetchLogAfter(jobId: string, afterSeq: number): Promise<LogLine[]> {
  const lines: LogLine[] = [];
  let after = afterSeq;
  for (;;) {
    const page = unwrap(await api.GET("/api/jobs/{jobId}/log", { params: { path: { jobId }, query: { afterSeq: after, limit: 500 } } }));
    lines.push(...page.items);
    if (!page.nextCursor || page.items.length === 0) return lines;
    after = page.items[page.items.length - 1]!.n;
  }
}
