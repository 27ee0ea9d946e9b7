/**
 * The machinery behind src/lib/events.ts: one EventSource per browser, shared by its tabs.
 *
 * Every tab asks for the Web Lock "rm-events" and holds it for its lifetime once granted; the tab holding
 * it is the leader. Only the leader opens `GET /api/events` and rebroadcasts each event over the
 * BroadcastChannel "rm-events"; the other tabs (followers) deliver what they receive. Each tab tells the
 * others which jobs it watches; the leader reconnects with the union (debounced) when it changes, passing
 * the last fleet event id so the server replays what the switch would lose. When the leader tab closes,
 * its lock passes to another tab, which opens the stream resuming from the last id it has seen (every
 * tab follows the ids). Without Web Locks or BroadcastChannel each tab holds its own stream.
 *
 * Kept free of React and of globals (everything comes in `LiveEnvironment`), so the leader/follower
 * logic is tested with fakes; the real browser is tested by the Playwright test of two tabs.
 */

export type LiveStatus = "connecting" | "live" | "offline";

/** The parts of EventSource used here. */
export interface EventSourceLike {
  readonly readyState: number;
  onerror: ((event: Event) => void) | null;
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  close(): void;
}

/** The parts of BroadcastChannel used here. */
export interface BroadcastChannelLike {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: unknown): void;
  close(): void;
}

/** The part of the Web Locks API used here. */
export interface LockManagerLike {
  request(name: string, options: { signal?: AbortSignal }, callback: () => Promise<void>): Promise<unknown>;
}

export interface LiveEnvironment {
  EventSource: new (url: string) => EventSourceLike;
  BroadcastChannel?: new (name: string) => BroadcastChannelLike;
  locks?: LockManagerLike;
  /** Whether the session has ended (`GET /api/me` answers 401): asked once when the stream fails. */
  sessionEnded(): Promise<boolean>;
  /** Delivers an event to this tab's subscribers. */
  deliver(type: string, data: unknown): void;
  /** Everything shown may be stale: refetch it (and tell subscribers with a `reset` event). */
  reset(): void;
  sessionExpired(): void;
  setStatus(status: LiveStatus): void;
}

export interface LiveConnection {
  /** The jobs whose log lines this tab wants. */
  setWatched(jobIds: readonly string[]): void;
  stop(): void;
}

/** Messages between the tabs of one browser. */
type TabMessage =
  | { kind: "event"; type: string; data: unknown; id?: string }
  | { kind: "watch"; tab: string; jobs: string[] }
  | { kind: "bye"; tab: string }
  | { kind: "who-watches" }
  | { kind: "status"; status: LiveStatus; lastEventId: string | null }
  | { kind: "reset" }
  | { kind: "session-expired" };

export const lockName = "rm-events";
export const channelName = "rm-events";
/** The server's limit on the jobs one stream carries log lines of. */
export const maxWatchedJobs = 16;
/** How long the leader waits for the watched jobs to settle before it reconnects. */
export const watchDebounceMs = 300;
const fleetTypes = new Set(["job", "progress", "host", "snapshots", "overdue"]);
const streamTypes = ["hello", "log", ...fleetTypes];
const firstRetryMs = 1_000;
const maxRetryMs = 30_000;
const closed = 2; // EventSource.CLOSED

export function startLiveConnection(env: LiveEnvironment): LiveConnection {
  const tab = Math.random().toString(36).slice(2) + Date.now().toString(36);
  const shared = env.locks && env.BroadcastChannel ? new env.BroadcastChannel(channelName) : null;
  const abort = new AbortController();
  const otherTabsJobs = new Map<string, string[]>();
  let ownJobs: string[] = [];
  let leader = false;
  let stopped = false;
  let source: EventSourceLike | null = null;
  let sourceJobs = "";
  let lastEventId: string | null = null;
  // After the first connection a stream that cannot resume means missed events (not so for the first).
  let connectedBefore = false;
  let releaseLock: (() => void) | undefined;
  let debounce: ReturnType<typeof setTimeout> | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let retryMs = firstRetryMs;
  let status: LiveStatus = "connecting";

  const post = (message: TabMessage) => shared?.postMessage(message);

  function setStatus(next: LiveStatus) {
    status = next;
    env.setStatus(status);
    if (status === "live") connectedBefore = true;
    if (leader) post({ kind: "status", status, lastEventId });
  }

  /** The jobs the stream should carry: this tab's first, then the other tabs', at most the server's limit. */
  function wantedJobs() {
    const all = new Set([...ownJobs, ...[...otherTabsJobs.values()].flat()]);
    return [...all].slice(0, maxWatchedJobs).sort().join(",");
  }

  function open() {
    sourceJobs = wantedJobs();
    const query = new URLSearchParams();
    if (sourceJobs) query.set("jobs", sourceJobs);
    // Only for this first request: the browser's own reconnections send the Last-Event-ID header, which wins.
    if (lastEventId) query.set("lastEventId", lastEventId);
    const text = query.toString();
    const stream = new env.EventSource(text ? `/api/events?${text}` : "/api/events");
    source = stream;
    setStatus("connecting");
    for (const type of streamTypes) {
      stream.addEventListener(type, (event) => {
        if (source === stream) received(type, event);
      });
    }
    stream.onerror = () => {
      if (source === stream) void failed(stream);
    };
  }

  function received(type: string, event: MessageEvent<string>) {
    const data: unknown = JSON.parse(event.data);
    if (type === "hello") {
      retryMs = firstRetryMs;
      const missedSome = !(data as { resumed: boolean }).resumed && connectedBefore;
      setStatus("live");
      if (missedSome) {
        env.reset();
        post({ kind: "reset" });
      }
      return;
    }

    // Log lines carry no id; the browser keeps the last one it saw, so take ids of fleet events only.
    const id = fleetTypes.has(type) && event.lastEventId ? event.lastEventId : undefined;
    if (id) lastEventId = id;
    env.deliver(type, data);
    post({ kind: "event", type, data, id });
  }

  async function failed(stream: EventSourceLike) {
    if (stream.readyState !== closed) {
      // The browser reconnects by itself, sending Last-Event-ID; its hello says whether anything was lost.
      setStatus("connecting");
      return;
    }

    // Refused (not a stream): a 401 means the session ended; anything else is retried, resuming.
    stream.close();
    source = null;
    setStatus("offline");
    if (await env.sessionEnded()) {
      if (stopped) return;
      env.sessionExpired();
      post({ kind: "session-expired" });
      return;
    }

    if (stopped || !leader) return;
    retry = setTimeout(() => {
      retry = undefined;
      if (leader && !stopped && !source) open();
    }, retryMs);
    retryMs = Math.min(retryMs * 2, maxRetryMs);
  }

  /** The leader reconnects when the union of watched jobs changed and stayed so for a moment. */
  function watchesChanged() {
    if (!leader || stopped) return;
    clearTimeout(debounce);
    debounce = setTimeout(() => {
      debounce = undefined;
      if (leader && !stopped && source && wantedJobs() !== sourceJobs) {
        source.close();
        open();
      }
    }, watchDebounceMs);
  }

  function lead() {
    leader = true;
    post({ kind: "who-watches" });
    open();
  }

  function onMessage(message: TabMessage) {
    if (stopped) return;
    switch (message.kind) {
      case "event":
        if (leader) return;
        if (message.id) lastEventId = message.id;
        env.deliver(message.type, message.data);
        return;
      case "status":
        if (leader) return;
        if (message.lastEventId) lastEventId = message.lastEventId;
        setStatus(message.status);
        return;
      case "reset":
        if (!leader) env.reset();
        return;
      case "session-expired":
        env.sessionExpired();
        return;
      case "who-watches":
        post({ kind: "watch", tab, jobs: ownJobs });
        return;
      case "watch":
        if (!leader) return;
        otherTabsJobs.set(message.tab, message.jobs);
        // A new tab also learns how the stream is doing.
        post({ kind: "status", status, lastEventId });
        watchesChanged();
        return;
      case "bye":
        if (otherTabsJobs.delete(message.tab)) watchesChanged();
        return;
    }
  }

  if (shared && env.locks) {
    shared.onmessage = (event) => onMessage(event.data as TabMessage);
    env.setStatus("connecting");
    post({ kind: "watch", tab, jobs: ownJobs });
    env.locks
      .request(lockName, { signal: abort.signal }, () =>
        new Promise<void>((resolve) => {
          releaseLock = resolve;
          if (stopped) resolve();
          else lead();
        }),
      )
      .catch(() => {
        // Aborted while waiting: this tab closed before it led.
      });
  } else {
    lead();
  }

  return {
    setWatched(jobIds) {
      ownJobs = [...jobIds];
      post({ kind: "watch", tab, jobs: ownJobs });
      watchesChanged();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(debounce);
      clearTimeout(retry);
      source?.close();
      source = null;
      post({ kind: "bye", tab });
      abort.abort();
      releaseLock?.();
      shared?.close();
    },
  };
}
