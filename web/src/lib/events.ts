/**
 * The one live event stream of this browser (GET /api/events, Server-Sent Events), shared by every
 * open tab: browsers allow about six HTTP/1.1 connections per host, so each tab having its own would
 * soon starve the page's requests. Components subscribe by event type; nothing polls.
 *
 * SCAFFOLD: the types and hooks below are the contract the pages code against; helper E implements
 * the shared connection (leader tab, BroadcastChannel, Last-Event-ID resume) behind them.
 */
import { useEffect, useRef } from "react";
import type { Schemas } from "@/api/client";

/** Live progress of a running job (restic's status lines, at most one per second). */
export interface JobProgressEvent {
  jobId: string;
  hostId: string;
  percentDone?: number | null;
  filesDone?: number | null;
  totalFiles?: number | null;
  bytesDone?: number | null;
  totalBytes?: number | null;
  secondsElapsed?: number | null;
  secondsRemaining?: number | null;
  currentFiles?: string[] | null;
  at: string;
}

/** One log line of a watched job (see useWatchJob); `n` is its line number. */
export interface JobLogEvent {
  jobId: string;
  n: number;
  at: string;
  stream: string;
  text: string;
}

/** A host's presence changed. */
export interface HostPresenceEvent {
  hostId: string;
  online: boolean;
  at: string;
}

/** A host's snapshot catalogue was refreshed (after a backup, forget, prune…). */
export interface SnapshotsChangedEvent {
  hostId: string;
  refreshedAt: string;
}

/** A source group became overdue or caught up. */
export interface OverdueChangedEvent {
  hostId: string;
  sourceGroupId: string;
  overdue: boolean;
}

export interface LiveEventMap {
  /** A job's state changed (queued, dispatched, running, and the final state). */
  job: Schemas["JobView"];
  progress: JobProgressEvent;
  log: JobLogEvent;
  host: HostPresenceEvent;
  snapshots: SnapshotsChangedEvent;
  overdue: OverdueChangedEvent;
  /** The stream could not resume where it left off: everything shown may be stale (queries are refetched). */
  reset: Record<string, never>;
}

export type LiveEventType = keyof LiveEventMap;

type Handler<K extends LiveEventType> = (data: LiveEventMap[K]) => void;

const handlers = new Map<LiveEventType, Set<Handler<LiveEventType>>>();

/** Delivers one event to this tab's subscribers. */
export function dispatchLiveEvent<K extends LiveEventType>(type: K, data: LiveEventMap[K]) {
  handlers.get(type)?.forEach((handler) => (handler as Handler<K>)(data));
}

/** Calls `handler` for every live event of that type while the component is mounted. */
export function useLiveEvent<K extends LiveEventType>(type: K, handler: Handler<K>) {
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => {
    const forward: Handler<K> = (data) => latest.current(data);
    let set = handlers.get(type);
    if (!set) {
      set = new Set();
      handlers.set(type, set);
    }
    set.add(forward as Handler<LiveEventType>);
    return () => {
      set.delete(forward as Handler<LiveEventType>);
    };
  }, [type]);
}

/** Asks the shared stream to also carry this job's log lines while the component is mounted. */
export function useWatchJob(jobId: string | undefined) {
  useEffect(() => {
    if (!jobId) return;
    // Implemented by helper E.
  }, [jobId]);
}

/** Holds this browser's shared connection while a signed-in page is open (mounted once, by the layout). */
export function LiveEventsConnection() {
  // Implemented by helper E.
  return null;
}
