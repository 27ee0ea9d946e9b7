import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import type { Schemas } from "@/api/client";
import { useLiveEvent } from "@/lib/events";
import { recordJobProgress } from "@/lib/jobs";
import { dashboardKeys, type DayResult, type HostActivity, type HostPages, type OverdueGroup } from "./queries";

type Job = Schemas["JobView"];
type ActivityList = Schemas["HostActivityList"];

const severity: Record<DayResult["result"], number> = { none: 0, succeeded: 1, warning: 2, failed: 3 };
const active = new Set(["dispatched", "running"]);

/** The day result a finished backup gives, or null for an outcome the strip does not show. */
function dayResultOf(status: Job["status"]): DayResult["result"] | null {
  switch (status) {
    case "succeeded":
      return "succeeded";
    case "warning":
      return "warning";
    case "failed":
    case "lost":
      return "failed";
    default:
      return null;
  }
}

/** A host's activity after a job changed state: its running job, and for an ended backup its last result and its day. */
export function applyJob(activity: HostActivity, job: Job): HostActivity {
  let next = activity;
  if (active.has(job.status)) {
    next = { ...next, running: { jobId: job.id, kind: job.kind, status: job.status, startedAt: job.startedAt ?? null } };
  } else if (next.running?.jobId === job.id) {
    next = { ...next, running: null };
  }
  const result = job.kind === "backup" ? dayResultOf(job.status) : null;
  if (job.kind === "backup" && job.finishedAt && !active.has(job.status) && job.status !== "queued") {
    next = { ...next, lastBackup: { jobId: job.id, status: job.status, finishedAt: job.finishedAt } };
    const day = job.finishedAt.slice(0, 10);
    if (result) {
      next = {
        ...next,
        days: next.days.map((d) => (d.date === day && severity[result] > severity[d.result] ? { ...d, result } : d)),
      };
    }
  }
  return next;
}

/** Updates the cached activity of one host wherever a loaded page holds it. */
function updateActivity(client: QueryClient, hostId: string, update: (a: HostActivity) => HostActivity) {
  client.setQueriesData<ActivityList>({ queryKey: dashboardKeys.activityAll }, (list) => {
    if (!list || !list.items.some((i) => i.hostId === hostId)) return list;
    return { ...list, items: list.items.map((i) => (i.hostId === hostId ? update(i) : i)) };
  });
}

/**
 * Keeps the dashboard current from the shared live stream: rows change in place in the cache
 * (setQueryData), and the totals are fetched again at most once every ten seconds while events arrive
 * (a busy fleet sends job events all the time: more often would be polling).
 * Nothing polls.
 */
/** At most one refetch of the totals in this time, while events arrive. */
export const totalsRefetchMs = 10_000;

export function useDashboardLive() {
  const client = useQueryClient();
  const pending = useRef(new Set<string>());
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const refreshTotals = (...names: ("hosts" | "jobs" | "overdue" | "repositories")[]) => {
    names.forEach((n) => pending.current.add(n));
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      const due = [...pending.current] as ("hosts" | "jobs" | "overdue" | "repositories")[];
      pending.current.clear();
      due.forEach((n) => void client.invalidateQueries({ queryKey: dashboardKeys.summary(n) }));
    }, totalsRefetchMs);
  };

  useLiveEvent("job", (job) => {
    updateActivity(client, job.hostId, (a) => applyJob(a, job));
    refreshTotals("jobs");
  });

  useLiveEvent("progress", (progress) => {
    recordJobProgress(client, progress);
  });

  useLiveEvent("host", (presence) => {
    client.setQueriesData<HostPages>({ queryKey: dashboardKeys.hostsAll }, (data) =>
      data && {
        ...data,
        pages: data.pages.map((page) =>
          page.items.some((h) => h.id === presence.hostId)
            ? {
                ...page,
                items: page.items.map((h) =>
                  h.id === presence.hostId && h.status !== "revoked"
                    ? { ...h, status: presence.online ? "online" : "offline", lastSeenAt: presence.at }
                    : h,
                ),
              }
            : page,
        ),
      },
    );
    refreshTotals("hosts");
  });

  useLiveEvent("overdue", (change) => {
    client.setQueriesData<OverdueGroup[]>({ queryKey: dashboardKeys.overdueAll }, (groups) => {
      if (!groups) return groups;
      const others = groups.filter((g) => g.sourceGroupId !== change.sourceGroupId);
      if (!change.overdue) return others;
      // Only the fields the row shows: the flag and how many groups.
      return [...others, { hostId: change.hostId, sourceGroupId: change.sourceGroupId, name: "", lastSuccessAt: null, overdueSince: new Date().toISOString() }];
    });
    refreshTotals("overdue");
  });

  useLiveEvent("snapshots", () => refreshTotals("repositories"));

  useLiveEvent("reset", () => void client.invalidateQueries({ queryKey: dashboardKeys.all }));
}
