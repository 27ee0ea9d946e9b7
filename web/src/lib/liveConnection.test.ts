import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  startLiveConnection,
  watchDebounceMs,
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
    await settle();

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
    await settle();
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
    await settle();

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

  it("tells every tab to refetch when a later connection cannot resume", async () => {
    const first = openTab(shared);
    const second = openTab(shared);
    await settle();
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
    await settle();
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
    await settle();
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
