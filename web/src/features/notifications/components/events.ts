import type { NotificationEvent } from "../api/rules";

/** Every event a rule can listen for, in words, failures first. */
export const events: { value: NotificationEvent; label: string }[] = [
  { value: "jobFailed", label: "Backup or job failed" },
  { value: "jobWarning", label: "Job finished with warnings" },
  { value: "jobLost", label: "Job lost (agent gone while it ran)" },
  { value: "groupOverdue", label: "Source group overdue" },
  { value: "groupCaughtUp", label: "Source group caught up" },
  { value: "hostOffline", label: "Host offline" },
  { value: "hostStale", label: "Host stale" },
  { value: "hostBack", label: "Host back online" },
  { value: "checkFailed", label: "Repository check failed" },
  { value: "repositoryLocked", label: "Repository locked" },
  { value: "agentOutdated", label: "Agent outdated" },
  { value: "jobSucceeded", label: "Job succeeded" },
  { value: "jobStarted", label: "Backup started" },
];

export function eventLabel(event: string): string {
  return events.find((e) => e.value === event)?.label ?? event;
}
