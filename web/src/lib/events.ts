/**
 * The one live event stream of this browser (GET /api/events, Server-Sent Events), shared by every
 * open tab: browsers allow about six HTTP/1.1 connections per host, so each tab having its own would
 * soon starve the page's requests. Components subscribe by event type; nothing polls. How the tabs
 * share it (a leader tab under a Web Lock and BroadcastChannel, or else a SharedWorker; resuming with the
 * last event id) is in ./liveConnection.ts.
 */
import { useEffect, useRef, useSyncExternalStore } from "react";
import { sessionExpiredEvent, type Schemas } from "@/api/client";
import { queryClient } from "@/app/queryClient";
import { announceSessionChanged, sessionEndedByServer, startLiveConnection, type LiveConnection, type LiveEnvironment, type LiveStatus } from "./liveConnection";

export type { LiveStatus } from "./liveConnection";

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

const watchCounts = new Map<string, number>();
let connection: LiveConnection | null = null;

function watchesChanged() {
  connection?.setWatched([...watchCounts.keys()]);
}

/**
 * Asks the shared stream to also carry this job's log lines (`log` events, for every tab: subscribe with
 * `useLiveEvent("log", …)` and keep those of this job) while the component is mounted. The stream sends
 * only lines written from then on, and none while it reconnects: the page itself fetches the backlog
 * (`GET /api/jobs/{id}/log?afterSeq=`) when watching starts, and again from its last line `n` when a
 * line arrives whose `n` is not the next one, or on `reset`.
 */
export function useWatchJob(jobId: string | undefined) {
  useEffect(() => {
    if (!jobId) return;
    const count = watchCounts.get(jobId) ?? 0;
    watchCounts.set(jobId, count + 1);
    if (count === 0) watchesChanged();
    return () => {
      const left = (watchCounts.get(jobId) ?? 1) - 1;
      if (left > 0) {
        watchCounts.set(jobId, left);
      } else {
        watchCounts.delete(jobId);
        watchesChanged();
      }
    };
  }, [jobId]);
}

let status: LiveStatus = "offline";
const statusListeners = new Set<() => void>();

/** Whether this tab has had the stream live yet (see setStatus). */
let hasBeenLive = false;

function setStatus(next: LiveStatus) {
  if (next === status) return;
  status = next;
  if (next === "live" && !hasBeenLive) {
    hasBeenLive = true;
    // What the page fetched before the stream was live may have missed an event in between (a job that
    // started while the stream was still opening): refetch that once, now that nothing more can be missed.
    const live = Date.now();
    void queryClient.invalidateQueries({ predicate: (query) => query.state.dataUpdatedAt > 0 && query.state.dataUpdatedAt <= live });
  }
  statusListeners.forEach((listener) => listener());
}

/** How the shared stream is doing: "connecting", "live" or "offline" (not shown anywhere by itself). */
export function useLiveStatus(): LiveStatus {
  return useSyncExternalStore(
    (listener) => {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    () => status,
  );
}

/** The shared worker (one per browser for this build of the UI) holding the stream; Vite bundles the worker file. */
function connectWorker(failed: () => void) {
  const worker = new SharedWorker(new URL("./liveEvents.worker.ts", import.meta.url), { type: "module", name: "rm-events" });
  worker.addEventListener("error", failed);
  return worker.port;
}

function browserEnvironment(): LiveEnvironment | null {
  if (typeof window.EventSource !== "function") return null;
  return {
    EventSource: window.EventSource,
    BroadcastChannel: typeof window.BroadcastChannel === "function" ? window.BroadcastChannel : undefined,
    // Only in secure contexts (HTTPS, localhost): on a plain-HTTP address the shared worker holds the stream.
    locks: navigator.locks as LiveEnvironment["locks"] | undefined,
    connectWorker: typeof window.SharedWorker === "function" ? connectWorker : undefined,
    sessionEnded: sessionEndedByServer,
    onWake(callback) {
      const visible = () => {
        if (document.visibilityState === "visible") callback();
      };
      document.addEventListener("visibilitychange", visible);
      document.addEventListener("resume", callback);
      window.addEventListener("pageshow", callback);
      return () => {
        document.removeEventListener("visibilitychange", visible);
        document.removeEventListener("resume", callback);
        window.removeEventListener("pageshow", callback);
      };
    },
    deliver: (type, data) => dispatchLiveEvent(type as LiveEventType, data as LiveEventMap[LiveEventType]),
    reset() {
      void queryClient.invalidateQueries();
      dispatchLiveEvent("reset", {});
    },
    sessionExpired: () => window.dispatchEvent(new Event(sessionExpiredEvent)),
    setStatus,
  };
}

/**
 * The signed-in user changed (signed in, signed out): every tab's stream (or the worker's) reopens, carrying
 * the new session's cookie, and every tab refetches. Names hold nothing user-specific: one browser, one user.
 */
export function liveSessionChanged() {
  if (connection) {
    connection.sessionChanged();
    return;
  }
  const env = browserEnvironment();
  if (env) announceSessionChanged(env);
}

/** Holds this browser's shared connection while a signed-in page is open (mounted once, by the layout). */
export function LiveEventsConnection() {
  useEffect(() => {
    const env = browserEnvironment();
    if (!env) return;
    const start = () => {
      connection = startLiveConnection(env);
      watchesChanged();
    };
    const stop = () => {
      connection?.stop();
      connection = null;
      setStatus("offline");
    };
    // A tab leaving gives up its lock at once (another takes over); one back from the back/forward cache starts again.
    const hidden = () => stop();
    const shown = (event: PageTransitionEvent) => {
      if (event.persisted && !connection) start();
    };
    start();
    window.addEventListener("pagehide", hidden);
    window.addEventListener("pageshow", shown);
    return () => {
      window.removeEventListener("pagehide", hidden);
      window.removeEventListener("pageshow", shown);
      stop();
    };
  }, []);
  return null;
}
