/**
 * The machinery behind src/lib/events.ts: one EventSource per browser, shared by its tabs.
 *
 * Where the browser has Web Locks and BroadcastChannel (secure contexts: HTTPS or localhost), every tab
 * asks for the Web Lock "rm-events" and holds it for its lifetime once granted; the tab holding it is the
 * leader. Only the leader opens `GET /api/events` and rebroadcasts each event over the BroadcastChannel
 * "rm-events"; the other tabs (followers) deliver what they receive. Each tab tells the others which jobs
 * it watches; the leader reconnects with the union (debounced) when it changes, passing the last fleet
 * event id so the server replays what the switch would lose. When the leader tab closes, its lock passes
 * to another tab, which asks the others what they watch and opens the stream once they answered, resuming
 * from the last id it has seen (every tab follows the ids). The stream's holder asks every 30 s and drops a
 * tab that left the previous ask unanswered (crashed without its "bye"); a tab that runs again after being
 * frozen says what it watches (`onWake`). A "session-changed" message (sign-in, sign-out) makes the holder
 * reopen the stream with the new session's cookie and every tab refetch.
 *
 * Without Web Locks (a plain-HTTP address such as http://nas:8080) the stream lives in a SharedWorker
 * (./liveEvents.worker.ts, `startLiveHub`): every tab is a follower of the worker, over its MessagePort,
 * with the same messages. Without either each tab holds its own stream.
 *
 * Holding the stream (connect, reconnect with the union of watched jobs, resume from the last id, back
 * off, tell a refused stream from an ended session) is `holdStream`, used by the leader tab and by the
 * worker alike. Kept free of React and of globals (everything comes in the environments), so the logic is
 * tested with fakes; the real browser is tested by the Playwright tests of two tabs.
 */

export type LiveStatus = "connecting" | "live" | "offline";

/** The parts of EventSource used here. */
export interface EventSourceLike {
  readonly readyState: number;
  onerror: ((event: Event) => void) | null;
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  close(): void;
}

/** The parts of BroadcastChannel (and of MessagePort) used here. */
export interface BroadcastChannelLike {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: unknown): void;
  close(): void;
}

/** The part of the Web Locks API used here. */
export interface LockManagerLike {
  request(name: string, options: { signal?: AbortSignal }, callback: () => Promise<void>): Promise<unknown>;
}

/** What holding the stream needs: in a tab or in the shared worker. */
export interface StreamEnvironment {
  EventSource: new (url: string) => EventSourceLike;
  /** Whether the session has ended (`GET /api/me` answers 401): asked once when the stream fails. */
  sessionEnded(): Promise<boolean>;
}

export interface LiveEnvironment extends StreamEnvironment {
  BroadcastChannel?: new (name: string) => BroadcastChannelLike;
  locks?: LockManagerLike;
  /**
   * Connects to the shared worker (used when there are no Web Locks): its port. `failed` is called if the
   * worker cannot run (refused, failed to load); the tab then holds a stream of its own.
   */
  connectWorker?: (failed: () => void) => BroadcastChannelLike;
  /**
   * Calls `callback` whenever the page may have been frozen and runs again (shown, resumed, made visible);
   * returns what stops it. A frozen tab may have been dropped by the stream's holder: it announces itself again.
   */
  onWake?: (callback: () => void) => () => void;
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
  /** The signed-in user changed (signed in, signed out): every tab's stream reopens with the new cookie, and refetches. */
  sessionChanged(): void;
  stop(): void;
}

/** Messages between the tabs of one browser (over the BroadcastChannel), and between a tab and the worker (its port). */
type TabMessage =
  | { kind: "event"; type: string; data: unknown; id?: string }
  | { kind: "watch"; tab: string; jobs: string[] }
  | { kind: "bye"; tab: string }
  | { kind: "who-watches" }
  | { kind: "status"; status: LiveStatus; lastEventId: string | null }
  | { kind: "reset" }
  | { kind: "session-expired" }
  | { kind: "session-changed" };

export const lockName = "rm-events";
export const channelName = "rm-events";
/** The server's limit on the jobs one stream carries log lines of. */
export const maxWatchedJobs = 16;
/** How long the stream's holder waits for the watched jobs to settle before it reconnects. */
export const watchDebounceMs = 300;
/** How often the stream's holder (the worker or the leader tab) asks which jobs are watched; a tab that did not answer the previous ask is dropped. */
export const watchersPingMs = 30_000;
const fleetTypes = new Set(["job", "progress", "host", "snapshots", "overdue"]);
const streamTypes = ["hello", "log", ...fleetTypes];
const firstRetryMs = 1_000;
const maxRetryMs = 30_000;
const closed = 2; // EventSource.CLOSED

/**
 * The tabs (or worker ports) the stream's holder serves, with the jobs each watches. A tab that vanished
 * without its "bye" (a crash, a killed process; a MessagePort has no close event) is dropped when it leaves
 * an ask (`who-watches`, answered with `watch`) unanswered until the next one, so its jobs leave the stream.
 */
export class Watchers<K> {
  private readonly members = new Map<K, { jobs: string[]; answered: boolean }>();

  get size() {
    return this.members.size;
  }

  keys() {
    return [...this.members.keys()];
  }

  jobs() {
    return [...this.members.values()].flatMap((member) => member.jobs);
  }

  /** Records what `key` watches (an answer, or news); true if `key` was not known. */
  watch(key: K, jobs: string[]) {
    const known = this.members.get(key);
    this.members.set(key, { jobs, answered: true });
    return !known;
  }

  /** True if `key` was known. */
  remove(key: K) {
    return this.members.delete(key);
  }

  /** Before a new ask: drops (and returns) those that did not answer the previous one. */
  ask(): K[] {
    const dropped: K[] = [];
    for (const [key, member] of this.members) {
      if (member.answered) {
        member.answered = false;
      } else {
        this.members.delete(key);
        dropped.push(key);
      }
    }
    return dropped;
  }
}

/** Where the holder of the stream sends what happens on it. */
export interface StreamSink {
  event(type: string, data: unknown, id: string | undefined): void;
  status(status: LiveStatus, lastEventId: string | null): void;
  /** A later connection could not resume: everything shown may be stale. */
  reset(): void;
  sessionExpired(): void;
}

/** Where a new holder starts from: the last fleet event id seen, and whether a stream was live before. */
export interface StreamResume {
  lastEventId: string | null;
  connectedBefore: boolean;
}

export interface HeldStream extends StreamResume {
  readonly status: LiveStatus;
  /** The session ended: the holder stopped and does not retry. */
  readonly sessionEnded: boolean;
  /** The wanted jobs may have changed: reconnect with them once they settle, if they differ. */
  watchesChanged(): void;
  stop(): void;
}

/**
 * Opens `GET /api/events` and keeps it open: with the jobs `wantedJobs()` names (the first ones, up to the
 * server's limit), reconnecting when they change (debounced) and after a refusal (backing off), always
 * resuming from the last fleet event id; a refusal with the session ended stops it. The first connection
 * waits `openAfterMs` (a new leader tab waits for the other tabs to say what they watch: one stream, not two).
 */
export function holdStream(
  env: StreamEnvironment,
  wantedJobs: () => readonly string[],
  sink: StreamSink,
  resume: StreamResume,
  openAfterMs = 0,
): HeldStream {
  let stopped = false;
  let ended = false;
  let source: EventSourceLike | null = null;
  let sourceJobs = "";
  let lastEventId = resume.lastEventId;
  // After the first connection a stream that cannot resume means missed events (not so for the first).
  let connectedBefore = resume.connectedBefore;
  let debounce: ReturnType<typeof setTimeout> | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let firstOpen: ReturnType<typeof setTimeout> | undefined;
  let retryMs = firstRetryMs;
  let status: LiveStatus = "connecting";

  function setStatus(next: LiveStatus) {
    status = next;
    if (status === "live") connectedBefore = true;
    sink.status(status, lastEventId);
  }

  const jobsText = () => [...new Set(wantedJobs())].slice(0, maxWatchedJobs).sort().join(",");

  function open() {
    sourceJobs = jobsText();
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
      if (missedSome) sink.reset();
      return;
    }

    // Log lines carry no id; the browser keeps the last one it saw, so take ids of fleet events only.
    const id = fleetTypes.has(type) && event.lastEventId ? event.lastEventId : undefined;
    if (id) lastEventId = id;
    sink.event(type, data, id);
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
    const sessionEnded = await env.sessionEnded();
    if (stopped) return;
    if (sessionEnded) {
      ended = true;
      sink.sessionExpired();
      return;
    }

    retry = setTimeout(() => {
      retry = undefined;
      if (!stopped && !source) open();
    }, retryMs);
    retryMs = Math.min(retryMs * 2, maxRetryMs);
  }

  if (openAfterMs > 0) {
    sink.status("connecting", lastEventId);
    firstOpen = setTimeout(() => {
      firstOpen = undefined;
      if (!stopped) open();
    }, openAfterMs);
  } else {
    open();
  }
  return {
    get status() {
      return status;
    },
    get lastEventId() {
      return lastEventId;
    },
    get connectedBefore() {
      return connectedBefore;
    },
    get sessionEnded() {
      return ended;
    },
    watchesChanged() {
      // Before the first connection: it takes the jobs wanted then.
      if (stopped || firstOpen) return;
      clearTimeout(debounce);
      debounce = setTimeout(() => {
        debounce = undefined;
        if (!stopped && source && jobsText() !== sourceJobs) {
          source.close();
          open();
        }
      }, watchDebounceMs);
    },
    stop() {
      stopped = true;
      clearTimeout(debounce);
      clearTimeout(retry);
      clearTimeout(firstOpen);
      source?.close();
      source = null;
    },
  };
}

export function startLiveConnection(env: LiveEnvironment): LiveConnection {
  const tab = Math.random().toString(36).slice(2) + Date.now().toString(36);
  const abort = new AbortController();
  // The leader's view of the other tabs.
  const otherTabs = new Watchers<string>();
  let shared: BroadcastChannelLike | null = null;
  let ownJobs: string[] = [];
  // This tab is the leader while it holds the stream.
  let stream: HeldStream | null = null;
  let ping: ReturnType<typeof setInterval> | undefined;
  let stopped = false;
  let lastEventId: string | null = null;
  let connectedBefore = false;
  let releaseLock: (() => void) | undefined;
  // The worker holds the stream; it hears "session-changed" and answers every tab with "reset".
  let followsWorker = false;

  const post = (message: TabMessage) => shared?.postMessage(message);
  const announce = () => post({ kind: "watch", tab, jobs: ownJobs });
  const stopWake = env.onWake?.(() => {
    if (!stopped) announce();
  });

  function setStatus(status: LiveStatus) {
    env.setStatus(status);
    if (status === "live") connectedBefore = true;
  }

  function lead() {
    if (shared) {
      post({ kind: "who-watches" });
      // A tab that vanished without its bye (a crash) leaves the asks unanswered: its jobs leave the stream.
      ping = setInterval(() => {
        if (otherTabs.ask().length > 0) stream?.watchesChanged();
        post({ kind: "who-watches" });
      }, watchersPingMs);
    }
    // The other tabs answer first: the stream opens once, with their jobs.
    holdOwnStream(shared ? watchDebounceMs : 0);
  }

  function holdOwnStream(openAfterMs: number) {
    stream = holdStream(
      env,
      // This tab's jobs first, then the other tabs'.
      () => [...ownJobs, ...otherTabs.jobs()],
      {
        event(type, data, id) {
          if (id) lastEventId = id;
          env.deliver(type, data);
          post({ kind: "event", type, data, id });
        },
        status(status, last) {
          setStatus(status);
          post({ kind: "status", status, lastEventId: last });
        },
        reset() {
          env.reset();
          post({ kind: "reset" });
        },
        sessionExpired() {
          env.sessionExpired();
          post({ kind: "session-expired" });
        },
      },
      { lastEventId, connectedBefore },
      openAfterMs,
    );
  }

  /** The signed-in user changed: the stream reopens with the new session's cookie, and everything shown is refetched. */
  function reopenForNewSession() {
    if (stream) {
      stream.stop();
      lastEventId = null;
      connectedBefore = false;
      holdOwnStream(0);
    }
    env.reset();
  }

  function onMessage(message: TabMessage) {
    if (stopped) return;
    switch (message.kind) {
      case "event":
        if (stream) return;
        if (message.id) lastEventId = message.id;
        env.deliver(message.type, message.data);
        return;
      case "status":
        if (stream) return;
        if (message.lastEventId) lastEventId = message.lastEventId;
        setStatus(message.status);
        return;
      case "reset":
        if (!stream) env.reset();
        return;
      case "session-expired":
        env.sessionExpired();
        return;
      case "session-changed":
        reopenForNewSession();
        return;
      case "who-watches":
        announce();
        return;
      case "watch":
        if (!stream) return;
        otherTabs.watch(message.tab, message.jobs);
        // A new tab also learns how the stream is doing.
        post({ kind: "status", status: stream.status, lastEventId: stream.lastEventId });
        stream.watchesChanged();
        return;
      case "bye":
        if (otherTabs.remove(message.tab)) stream?.watchesChanged();
        return;
    }
  }

  function follow(channel: BroadcastChannelLike) {
    shared = channel;
    channel.onmessage = (event) => onMessage(event.data as TabMessage);
    env.setStatus("connecting");
    announce();
  }

  if (env.locks && env.BroadcastChannel) {
    follow(new env.BroadcastChannel(channelName));
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
    const port = connectWorker();
    if (port) {
      followsWorker = true;
      follow(port);
    } else {
      lead();
    }
  }

  /** The worker's port, or null without one; the worker leads and this tab follows it for good, unless the worker cannot run. */
  function connectWorker() {
    try {
      return (
        env.connectWorker?.(() => {
          if (stopped || stream) return;
          shared?.close();
          shared = null;
          followsWorker = false;
          lead();
        }) ?? null
      );
    } catch {
      // Refused at once (a security error, say): as without a worker.
      return null;
    }
  }

  return {
    setWatched(jobIds) {
      ownJobs = [...jobIds];
      announce();
      stream?.watchesChanged();
    },
    sessionChanged() {
      if (stopped) return;
      // The worker (it holds the stream) or the other tabs; this tab, which hears not its own broadcast, too.
      post({ kind: "session-changed" });
      if (!followsWorker) reopenForNewSession();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      stopWake?.();
      clearInterval(ping);
      stream?.stop();
      stream = null;
      post({ kind: "bye", tab });
      abort.abort();
      releaseLock?.();
      shared?.close();
    },
  };
}

/** `StreamEnvironment.sessionEnded` in a browser (a page or the worker): one `GET /api/me`; no answer is no proof. */
export async function sessionEndedByServer(): Promise<boolean> {
  try {
    const response = await fetch("/api/me", { credentials: "same-origin" });
    return response.status === 401;
  } catch {
    return false;
  }
}

/** The shared worker's side: it holds the stream for the tabs connected to it (`connect` each port). */
export interface LiveHub {
  connect(port: BroadcastChannelLike): void;
}

/**
 * Holds the one stream for the ports of a shared worker: the union of the jobs its tabs watch, every event
 * to every port. A tab says "bye" when it goes (pagehide); one that vanished without it (a crash, a killed
 * process: a MessagePort has no close event) is dropped when it leaves a ping (`who-watches`, answered with
 * `watch`) unanswered, so its jobs leave the stream. A port dropped while its tab was only frozen comes back
 * with its next message (it announces itself when it runs again: `onWake`), and refetches (it missed events). No ports left: the stream closes, and reopens,
 * resuming, with the next tab.
 */
export function startLiveHub(env: StreamEnvironment): LiveHub {
  const ports = new Watchers<BroadcastChannelLike>();
  // Every port that has been in `ports`: one coming back after it was dropped missed events.
  const connected = new WeakSet<BroadcastChannelLike>();
  let stream: HeldStream | null = null;
  let resume: StreamResume = { lastEventId: null, connectedBefore: false };
  let ping: ReturnType<typeof setInterval> | undefined;

  const send = (port: BroadcastChannelLike, message: TabMessage) => port.postMessage(message);
  const broadcast = (message: TabMessage) => ports.keys().forEach((port) => send(port, message));

  const sink: StreamSink = {
    event: (type, data, id) => broadcast({ kind: "event", type, data, id }),
    status: (status, lastEventId) => broadcast({ kind: "status", status, lastEventId }),
    reset: () => broadcast({ kind: "reset" }),
    sessionExpired: () => broadcast({ kind: "session-expired" }),
  };

  const openStream = () => {
    stream = holdStream(env, () => ports.jobs(), sink, resume);
  };

  function stopStream() {
    if (!stream) return;
    resume = { lastEventId: stream.lastEventId, connectedBefore: stream.connectedBefore };
    stream.stop();
    stream = null;
  }

  function portsLeft() {
    if (ports.size > 0) {
      stream?.watchesChanged();
      return;
    }

    stopStream();
    clearInterval(ping);
    ping = undefined;
  }

  function pingPorts() {
    if (ports.ask().length > 0) portsLeft();
    ports.keys().forEach((port) => send(port, { kind: "who-watches" }));
  }

  function onMessage(port: BroadcastChannelLike, message: TabMessage) {
    if (message.kind === "bye") {
      if (ports.remove(port)) portsLeft();
      port.close();
      return;
    }
    if (message.kind === "session-changed") {
      // Another user (or none): a new stream with the new cookie, from scratch; every tab refetches.
      stopStream();
      resume = { lastEventId: null, connectedBefore: false };
      if (ports.size > 0) openStream();
      broadcast({ kind: "reset" });
      return;
    }
    if (message.kind !== "watch") return;

    if (!ports.watch(port, message.jobs)) {
      stream?.watchesChanged();
      return;
    }

    // A new tab, or one dropped while it did not answer; its first watch says what it wants from the start.
    const returning = connected.has(port);
    connected.add(port);
    ping ??= setInterval(pingPorts, watchersPingMs);
    // A session that ended may have begun again (the tab signed in): try again.
    if (stream?.sessionEnded) stopStream();
    if (stream) {
      send(port, { kind: "status", status: stream.status, lastEventId: stream.lastEventId });
      stream.watchesChanged();
    } else {
      openStream();
    }
    if (returning) send(port, { kind: "reset" });
  }

  return {
    connect(port) {
      port.onmessage = (event) => onMessage(port, event.data as TabMessage);
    },
  };
}

/**
 * Tells this browser's live connection that the signed-in user changed, from a page that holds none (the
 * login page): the worker, or the leader tab, reopens its stream and every tab refetches.
 */
export function announceSessionChanged(env: Pick<LiveEnvironment, "BroadcastChannel" | "locks" | "connectWorker">) {
  const message: TabMessage = { kind: "session-changed" };
  if (env.locks && env.BroadcastChannel) {
    const channel = new env.BroadcastChannel(channelName);
    channel.postMessage(message);
    channel.close();
    return;
  }
  try {
    const port = env.connectWorker?.(() => {});
    // The worker closes a port that says "bye".
    port?.postMessage(message);
    port?.postMessage({ kind: "bye", tab: "" } satisfies TabMessage);
  } catch {
    // No worker: no stream to reopen.
  }
}
