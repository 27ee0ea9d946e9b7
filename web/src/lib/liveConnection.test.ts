import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  startLiveConnection,
  startLiveHub,
  watchDebounceMs,
  watchersPingMs,
  type LiveHub,
  type BroadcastChannelLike,
  type EventSourceLike,
  type LiveConnection,
  type LiveEnvironment,
  type LiveStatus,
  type LockManagerLike,
} from "./liveConnection";

/** Every EventSource opened by any fake tab, in order. */
let streams: FakeEventSource[] = [];

class FakeEventSource implements EventSourceLike {
  readyState = 0;
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  readonly listeners = new Map<string, ((event: MessageEvent<string>) => void)[]>();

  constructor(readonly url: string) {
    streams.push(this);
  }

  addEventListener(type: string, listener: (event: MessageEvent<string>) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close() {
    this.closed = true;
    this.readyState = 2;
  }

  /** The server sends an event (`id` as an SSE id line; the browser keeps the last one as lastEventId). */
  emit(type: string, data: unknown, id?: string) {
    this.readyState = 1;
    if (id) this.lastId = id;
    const event = new MessageEvent<string>(type, { data: JSON.stringify(data), lastEventId: this.lastId });
    this.listeners.get(type)?.forEach((listener) => listener(event));
  }

  fail(readyState: number) {
    this.readyState = readyState;
    this.onerror?.(new Event("error"));
  }

  get params() {
    return new URL(this.url, "http://localhost").searchParams;
  }

  private lastId = "";
}

/** BroadcastChannel within one test: delivers to every other open channel of the name, asynchronously. */
class FakeHub {
  readonly open = new Set<FakeChannel>();
  readonly Channel = hubChannel(this);
}

function hubChannel(hub: FakeHub) {
  return class implements BroadcastChannelLike {
    onmessage: ((event: MessageEvent) => void) | null = null;
    constructor(readonly name: string) {
      hub.open.add(this);
    }
    postMessage(message: unknown) {
      const copy: unknown = structuredClone(message);
      for (const other of hub.open) {
        if (other !== this && other.name === this.name) queueMicrotask(() => other.onmessage?.(new MessageEvent("message", { data: copy })));
      }
    }
    close() {
      hub.open.delete(this);
    }
  };
}
type FakeChannel = InstanceType<ReturnType<typeof hubChannel>>;

/** Web Locks within one test: one holder per name, the rest wait in order; an aborted wait rejects. */
class FakeLocks implements LockManagerLike {
  private held = false;
  private readonly waiting: { callback: () => Promise<void>; resolve: () => void; reject: (reason: unknown) => void; signal?: AbortSignal }[] = [];

  request(_name: string, options: { signal?: AbortSignal }, callback: () => Promise<void>) {
    return new Promise<void>((resolve, reject) => {
      const entry = { callback, resolve, reject, signal: options.signal };
      options.signal?.addEventListener("abort", () => {
        const index = this.waiting.indexOf(entry);
        if (index >= 0) {
          this.waiting.splice(index, 1);
          reject(new DOMException("aborted", "AbortError"));
        }
      });
      this.waiting.push(entry);
      this.grant();
    });
  }

  private grant() {
    if (this.held) return;
    const next = this.waiting.shift();
    if (!next) return;
    this.held = true;
    queueMicrotask(() => {
      void next.callback().then(() => {
        this.held = false;
        next.resolve();
        this.grant();
      });
    });
  }
}

interface Tab {
  connection: LiveConnection;
  delivered: { type: string; data: unknown }[];
  resets: number;
  expired: number;
  status: LiveStatus;
}

function openTab(env: Partial<LiveEnvironment>): Tab {
  const tab: Tab = { connection: undefined as unknown as LiveConnection, delivered: [], resets: 0, expired: 0, status: "offline" };
  tab.connection = startLiveConnection({
    EventSource: FakeEventSource,
    sessionEnded: () => Promise.resolve(false),
    deliver: (type, data) => tab.delivered.push({ type, data }),
    reset: () => tab.resets++,
    sessionExpired: () => tab.expired++,
    setStatus: (status) => (tab.status = status),
    ...env,
  });
  return tab;
}

const settle = () => vi.advanceTimersByTimeAsync(0);
const liveStreams = () => streams.filter((s) => !s.closed);
/** A new leader tab opens its stream once the other tabs have said what they watch. */
const leaderOpens = () => vi.advanceTimersByTimeAsync(watchDebounceMs);

describe("the live connection shared by the tabs of a browser", () => {
  let hub: FakeHub;
  let locks: FakeLocks;
  let shared: Partial<LiveEnvironment>;

  beforeEach(() => {
    vi.useFakeTimers();
    streams = [];
    hub = new FakeHub();
    locks = new FakeLocks();
    shared = { BroadcastChannel: hub.Channel, locks };
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("opens one stream for two tabs and delivers its events in both", async () => {
    const first = openTab(shared);
    const second = openTab(shared);
    await leaderOpens();

    expect(streams).toHaveLength(1);
    expect(streams[0]!.url).toBe("/api/events");
    streams[0]!.emit("hello", { epoch: "e1", resumed: false });
    streams[0]!.emit("host", { hostId: "h1", online: true, at: "2026-01-01T00:00:00Z" }, "e1-1");
    await settle();

    for (const tab of [first, second]) {
      expect(tab.delivered).toEqual([{ type: "host", data: { hostId: "h1", online: true, at: "2026-01-01T00:00:00Z" } }]);
      expect(tab.status).toBe("live");
      // The first connection has nothing to have missed.
      expect(tab.resets).toBe(0);
    }
  });

  it("reconnects with the union of the jobs every tab watches, once they settle, resuming from the last id", async () => {
    const first = openTab(shared);
    const second = openTab(shared);
    await leaderOpens();
    streams[0]!.emit("hello", { epoch: "e1", resumed: false });
    streams[0]!.emit("job", { id: "j0" }, "e1-7");

    first.connection.setWatched(["job-b"]);
    second.connection.setWatched(["job-a"]);
    second.connection.setWatched(["job-a", "job-c"]);
    await vi.advanceTimersByTimeAsync(watchDebounceMs - 50);
    expect(liveStreams()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(100);

    expect(liveStreams()).toHaveLength(1);
    expect(streams).toHaveLength(2);
    expect(streams[1]!.params.get("jobs")).toBe("job-a,job-b,job-c");
    expect(streams[1]!.params.get("lastEventId")).toBe("e1-7");

    // A log line of a watched job reaches the tab watching it (and the others, which ignore it).
    streams[1]!.emit("hello", { epoch: "e1", resumed: true });
    streams[1]!.emit("log", { jobId: "job-a", n: 1, at: "t", stream: "stdout", text: "hi" });
    await settle();
    expect(second.delivered.at(-1)).toEqual({ type: "log", data: { jobId: "job-a", n: 1, at: "t", stream: "stdout", text: "hi" } });
    expect(second.resets).toBe(0);

    // The same union again changes nothing.
    second.connection.setWatched(["job-c", "job-a"]);
    await vi.advanceTimersByTimeAsync(watchDebounceMs * 2);
    expect(streams).toHaveLength(2);
  });

  it("hands the stream to another tab when the leader closes, resuming from the last id that tab saw", async () => {
    const leader = openTab(shared);
    const follower = openTab(shared);
    follower.connection.setWatched(["job-f"]);
    await vi.advanceTimersByTimeAsync(watchDebounceMs + 10);
    const current = liveStreams()[0]!;
    current.emit("hello", { epoch: "e1", resumed: false });
    current.emit("progress", { jobId: "job-f", hostId: "h" }, "e1-41");
    current.emit("log", { jobId: "job-f", n: 3 });
    await settle();

    leader.connection.stop();
    await leaderOpens();

    const taken = liveStreams();
    expect(taken).toHaveLength(1);
    expect(taken[0]).not.toBe(current);
    expect(taken[0]!.params.get("lastEventId")).toBe("e1-41");
    expect(taken[0]!.params.get("jobs")).toBe("job-f");

    // The server no longer kept that id: what the tab shows is refetched.
    taken[0]!.emit("hello", { epoch: "e2", resumed: false });
    expect(follower.resets).toBe(1);
    expect(follower.status).toBe("live");
  });

  it("opens one stream when the leader changes, with the jobs every remaining tab watches", async () => {
    const leader = openTab(shared);
    openTab(shared);
    const watching = openTab(shared);
    watching.connection.setWatched(["job-w"]);
    await leaderOpens();
    await vi.advanceTimersByTimeAsync(watchDebounceMs);
    streams.at(-1)!.emit("hello", { epoch: "e1", resumed: false });
    const before = streams.length;

    leader.connection.stop();
    await settle();
    // The new leader asked who watches what, and waits for the answers.
    expect(liveStreams()).toHaveLength(0);
    await leaderOpens();

    expect(streams).toHaveLength(before + 1);
    expect(streams.at(-1)!.params.get("jobs")).toBe("job-w");
    await vi.advanceTimersByTimeAsync(watchDebounceMs * 2);
    expect(streams).toHaveLength(before + 1);
  });

  it("drops a tab that left without its bye, with its jobs, when it misses an ask", async () => {
    openTab(shared);
    const crashed = openTab(shared);
    crashed.connection.setWatched(["job-c"]);
    await leaderOpens();
    await vi.advanceTimersByTimeAsync(watchDebounceMs);
    expect(liveStreams()[0]!.params.get("jobs")).toBe("job-c");
    const before = streams.length;

    // The tab's process dies: no bye, no answers (its channel is gone).
    const [, crashedChannel] = [...hub.open];
    hub.open.delete(crashedChannel!);
    await vi.advanceTimersByTimeAsync(watchersPingMs);
    expect(streams).toHaveLength(before);
    await vi.advanceTimersByTimeAsync(watchersPingMs + watchDebounceMs);

    expect(streams).toHaveLength(before + 1);
    expect(liveStreams()).toHaveLength(1);
    expect(liveStreams()[0]!.params.get("jobs")).toBeNull();
  });

  it("reopens the stream and refetches in every tab when the signed-in user changes", async () => {
    const first = openTab(shared);
    const second = openTab(shared);
    await leaderOpens();
    streams[0]!.emit("hello", { epoch: "e1", resumed: false });
    streams[0]!.emit("job", { id: "j" }, "e1-3");

    // Signed in as someone else in the second tab (a follower).
    second.connection.sessionChanged();
    await settle();

    expect(streams).toHaveLength(2);
    expect(streams[0]!.closed).toBe(true);
    // A new session: nothing to resume.
    expect(streams[1]!.params.get("lastEventId")).toBeNull();
    expect(first.resets).toBe(1);
    expect(second.resets).toBe(1);
  });

  it("tells every tab to refetch when a later connection cannot resume", async () => {
    const first = openTab(shared);
    const second = openTab(shared);
    await leaderOpens();
    streams[0]!.emit("hello", { epoch: "e1", resumed: false });
    streams[0]!.emit("job", { id: "j" }, "e1-3");

    // The browser reconnects by itself (readyState CONNECTING) to a restarted server.
    streams[0]!.fail(0);
    expect(first.status).toBe("connecting");
    streams[0]!.emit("hello", { epoch: "e9", resumed: false });
    await settle();

    expect(first.resets).toBe(1);
    expect(second.resets).toBe(1);
  });

  it("reports an ended session to every tab and does not reconnect", async () => {
    const first = openTab({ ...shared, sessionEnded: () => Promise.resolve(true) });
    const second = openTab(shared);
    await leaderOpens();
    streams[0]!.emit("hello", { epoch: "e1", resumed: false });

    streams[0]!.fail(2);
    await settle();
    await vi.advanceTimersByTimeAsync(60_000);

    expect(first.expired).toBe(1);
    expect(second.expired).toBe(1);
    expect(first.status).toBe("offline");
    expect(streams).toHaveLength(1);
  });

  it("retries a refused stream later, resuming, while the session lasts", async () => {
    openTab(shared);
    await leaderOpens();
    streams[0]!.emit("hello", { epoch: "e1", resumed: false });
    streams[0]!.emit("overdue", { hostId: "h", sourceGroupId: "g", overdue: true }, "e1-5");

    streams[0]!.fail(2);
    await settle();
    expect(streams).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);

    expect(streams).toHaveLength(2);
    expect(streams[1]!.params.get("lastEventId")).toBe("e1-5");
  });

  it("opens a stream in every tab when the browser has no Web Locks or BroadcastChannel", async () => {
    const first = openTab({});
    const second = openTab({ BroadcastChannel: hub.Channel });
    await settle();

    expect(streams).toHaveLength(2);
    streams[1]!.emit("snapshots", { hostId: "h", refreshedAt: "t" }, "e1-1");
    expect(second.delivered).toHaveLength(1);
    expect(first.delivered).toHaveLength(0);
  });
});

/** One end of a MessageChannel: delivers to the other end asynchronously; a deaf end (a frozen or crashed tab) keeps what it gets. */
class FakePort implements BroadcastChannelLike {
  onmessage: ((event: MessageEvent) => void) | null = null;
  other!: FakePort;
  closed = false;
  deaf = false;
  private readonly held: unknown[] = [];

  static pair() {
    const [a, b] = [new FakePort(), new FakePort()];
    a.other = b;
    b.other = a;
    return [a, b] as const;
  }

  postMessage(message: unknown) {
    if (this.closed) return;
    const copy: unknown = structuredClone(message);
    queueMicrotask(() => this.other.receive(copy));
  }

  close() {
    this.closed = true;
  }

  /** The tab runs again, and what came meanwhile is lost. */
  forget() {
    this.deaf = false;
    this.held.length = 0;
  }

  /** The tab runs again and handles what came meanwhile. */
  wake() {
    this.deaf = false;
    this.held.splice(0).forEach((message) => this.receive(message));
  }

  private receive(message: unknown) {
    if (this.closed) return;
    if (this.deaf) this.held.push(message);
    else this.onmessage?.(new MessageEvent("message", { data: message }));
  }
}

describe("the shared worker holding the stream where there are no Web Locks", () => {
  let hub: LiveHub;
  let sessionEnded: boolean;
  /** The tab's end of every port, in order. */
  let tabPorts: FakePort[];
  let worker: Partial<LiveEnvironment>;

  beforeEach(() => {
    vi.useFakeTimers();
    streams = [];
    sessionEnded = false;
    tabPorts = [];
    hub = startLiveHub({ EventSource: FakeEventSource, sessionEnded: () => Promise.resolve(sessionEnded) });
    worker = {
      // A BroadcastChannel without Web Locks (a plain-HTTP page has the one but not the other).
      BroadcastChannel: new FakeHub().Channel,
      connectWorker: () => {
        const [tabSide, workerSide] = FakePort.pair();
        hub.connect(workerSide);
        tabPorts.push(tabSide);
        return tabSide;
      },
    };
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("opens one stream for two tabs and delivers its events in both", async () => {
    const first = openTab(worker);
    const second = openTab(worker);
    await settle();

    expect(streams).toHaveLength(1);
    expect(streams[0]!.url).toBe("/api/events");
    expect(first.status).toBe("connecting");
    streams[0]!.emit("hello", { epoch: "e1", resumed: false });
    streams[0]!.emit("job", { id: "j1" }, "e1-1");
    await settle();

    for (const tab of [first, second]) {
      expect(tab.delivered).toEqual([{ type: "job", data: { id: "j1" } }]);
      expect(tab.status).toBe("live");
      expect(tab.resets).toBe(0);
    }

    // A tab opened later learns how the stream is doing, and gets what comes next.
    const third = openTab(worker);
    await settle();
    expect(third.status).toBe("live");
    streams[0]!.emit("host", { hostId: "h", online: false, at: "t" }, "e1-2");
    await settle();
    expect(third.delivered).toEqual([{ type: "host", data: { hostId: "h", online: false, at: "t" } }]);
    expect(streams).toHaveLength(1);
  });

  it("reconnects with the union of the jobs its tabs watch, once they settle, resuming from the last id", async () => {
    const first = openTab(worker);
    const second = openTab(worker);
    await settle();
    streams[0]!.emit("hello", { epoch: "e1", resumed: false });
    streams[0]!.emit("snapshots", { hostId: "h", refreshedAt: "t" }, "e1-7");

    first.connection.setWatched(["job-b"]);
    second.connection.setWatched(["job-a"]);
    second.connection.setWatched(["job-a", "job-c"]);
    await vi.advanceTimersByTimeAsync(watchDebounceMs - 50);
    expect(streams).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(100);

    expect(liveStreams()).toHaveLength(1);
    expect(streams).toHaveLength(2);
    expect(streams[1]!.params.get("jobs")).toBe("job-a,job-b,job-c");
    expect(streams[1]!.params.get("lastEventId")).toBe("e1-7");

    streams[1]!.emit("hello", { epoch: "e1", resumed: true });
    streams[1]!.emit("log", { jobId: "job-a", n: 1 });
    await settle();
    expect(second.delivered.at(-1)).toEqual({ type: "log", data: { jobId: "job-a", n: 1 } });
    expect(second.resets).toBe(0);

    // A tab that leaves (pagehide) takes its jobs along.
    second.connection.stop();
    await vi.advanceTimersByTimeAsync(watchDebounceMs + 10);
    expect(streams).toHaveLength(3);
    expect(streams[2]!.params.get("jobs")).toBe("job-b");
  });

  it("closes the stream when the last tab leaves, and resumes it for the next tab", async () => {
    const only = openTab(worker);
    only.connection.setWatched(["job-x"]);
    await settle();
    // The tab's first watch already named its job: no reconnect after the debounce.
    expect(streams).toHaveLength(1);
    streams[0]!.emit("hello", { epoch: "e1", resumed: false });
    streams[0]!.emit("progress", { jobId: "job-x" }, "e1-9");
    await settle();

    only.connection.stop();
    await settle();
    expect(liveStreams()).toHaveLength(0);

    const next = openTab(worker);
    await settle();
    expect(liveStreams()).toHaveLength(1);
    expect(streams[1]!.params.get("lastEventId")).toBe("e1-9");
    streams[1]!.emit("hello", { epoch: "e2", resumed: false });
    await settle();
    expect(next.resets).toBe(1);
  });

  it("tells every tab to refetch when a later connection cannot resume", async () => {
    const first = openTab(worker);
    const second = openTab(worker);
    await settle();
    streams[0]!.emit("hello", { epoch: "e1", resumed: false });

    streams[0]!.fail(0);
    await settle();
    expect(first.status).toBe("connecting");
    streams[0]!.emit("hello", { epoch: "e9", resumed: false });
    await settle();

    expect(first.resets).toBe(1);
    expect(second.resets).toBe(1);
  });

  it("retries a refused stream with backoff while the session lasts", async () => {
    openTab(worker);
    await settle();
    streams[0]!.emit("hello", { epoch: "e1", resumed: false });
    streams[0]!.emit("overdue", { hostId: "h", sourceGroupId: "g", overdue: true }, "e1-5");

    streams[0]!.fail(2);
    await vi.advanceTimersByTimeAsync(999);
    expect(streams).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(streams).toHaveLength(2);
    expect(streams[1]!.params.get("lastEventId")).toBe("e1-5");

    // Refused again: twice as long.
    streams[1]!.fail(2);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(streams).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(streams).toHaveLength(3);
  });

  it("reports an ended session to every tab, stops, and tries again for a tab that signs in afresh", async () => {
    const first = openTab(worker);
    const second = openTab(worker);
    await settle();
    streams[0]!.emit("hello", { epoch: "e1", resumed: false });

    sessionEnded = true;
    streams[0]!.fail(2);
    await settle();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(first.expired).toBe(1);
    expect(second.expired).toBe(1);
    expect(first.status).toBe("offline");
    expect(streams).toHaveLength(1);

    sessionEnded = false;
    openTab(worker);
    await settle();
    expect(liveStreams()).toHaveLength(1);
    expect(streams).toHaveLength(2);
  });

  it("drops a tab that stops answering, with its jobs, and takes it back, refetching, when it answers again", async () => {
    const first = openTab(worker);
    const second = openTab(worker);
    first.connection.setWatched(["job-1"]);
    second.connection.setWatched(["job-2"]);
    await vi.advanceTimersByTimeAsync(watchDebounceMs + 10);
    const before = streams.length;
    expect(streams.at(-1)!.params.get("jobs")).toBe("job-1,job-2");

    // The second tab froze (or crashed without its bye): it misses one ask, and is dropped at the next.
    tabPorts[1]!.deaf = true;
    await vi.advanceTimersByTimeAsync(watchersPingMs);
    expect(streams).toHaveLength(before);
    await vi.advanceTimersByTimeAsync(watchersPingMs + watchDebounceMs + 10);
    expect(streams).toHaveLength(before + 1);
    expect(streams.at(-1)!.params.get("jobs")).toBe("job-1");
    streams.at(-1)!.emit("hello", { epoch: "e1", resumed: false });
    streams.at(-1)!.emit("job", { id: "j" }, "e1-1");
    await settle();
    expect(first.delivered).toHaveLength(1);

    // It wakes: it answers the asks it kept, comes back, and refetches what it missed.
    tabPorts[1]!.wake();
    await vi.advanceTimersByTimeAsync(watchDebounceMs + 10);
    expect(second.resets).toBe(1);
    expect(streams.at(-1)!.params.get("jobs")).toBe("job-1,job-2");
    expect(streams.at(-1)!.params.get("lastEventId")).toBe("e1-1");
    streams.at(-1)!.emit("hello", { epoch: "e1", resumed: true });
    streams.at(-1)!.emit("job", { id: "k" }, "e1-2");
    await settle();
    expect(second.status).toBe("live");
    expect(second.delivered.at(-1)).toEqual({ type: "job", data: { id: "k" } });
    expect(first.resets).toBe(0);
  });

  it("takes back a dropped tab that announces itself when it runs again, though the asks it missed were lost", async () => {
    let wake = () => {};
    const first = openTab(worker);
    const frozen = openTab({ ...worker, onWake: (callback) => ((wake = callback), () => {}) });
    frozen.connection.setWatched(["job-2"]);
    await vi.advanceTimersByTimeAsync(watchDebounceMs + 10);
    streams.at(-1)!.emit("hello", { epoch: "e1", resumed: false });

    tabPorts[1]!.deaf = true;
    await vi.advanceTimersByTimeAsync(2 * watchersPingMs + watchDebounceMs + 10);
    expect(streams.at(-1)!.params.get("jobs")).toBeNull();
    streams.at(-1)!.emit("hello", { epoch: "e1", resumed: true });
    streams.at(-1)!.emit("job", { id: "j" }, "e1-1");
    await settle();
    expect(first.delivered).toHaveLength(1);

    // Made visible again (or resumed, or shown): what came meanwhile is gone, but the tab says what it watches.
    tabPorts[1]!.forget();
    wake();
    await vi.advanceTimersByTimeAsync(watchDebounceMs + 10);
    expect(frozen.resets).toBe(1);
    expect(streams.at(-1)!.params.get("jobs")).toBe("job-2");
    streams.at(-1)!.emit("hello", { epoch: "e1", resumed: true });
    streams.at(-1)!.emit("job", { id: "k" }, "e1-2");
    await settle();
    expect(frozen.delivered.at(-1)).toEqual({ type: "job", data: { id: "k" } });
  });

  it("reopens the stream from scratch and refetches in every tab when the signed-in user changes", async () => {
    const first = openTab(worker);
    const second = openTab(worker);
    await settle();
    streams[0]!.emit("hello", { epoch: "e1", resumed: false });
    streams[0]!.emit("job", { id: "j" }, "e1-3");

    first.connection.sessionChanged();
    await settle();

    expect(streams).toHaveLength(2);
    expect(streams[0]!.closed).toBe(true);
    expect(streams[1]!.params.get("lastEventId")).toBeNull();
    expect(first.resets).toBe(1);
    expect(second.resets).toBe(1);
  });

  it("holds a stream in the tab itself when the worker cannot run", async () => {
    let failed = () => {};
    const broken = openTab({
      connectWorker: (onFailed) => {
        failed = onFailed;
        return FakePort.pair()[0];
      },
    });
    const refused = openTab({
      connectWorker: () => {
        throw new DOMException("refused", "SecurityError");
      },
    });
    await settle();
    expect(streams).toHaveLength(1);

    failed();
    expect(streams).toHaveLength(2);
    streams[1]!.emit("job", { id: "j" }, "e1-1");
    expect(broken.delivered).toHaveLength(1);
    expect(refused.delivered).toHaveLength(0);
  });
});
