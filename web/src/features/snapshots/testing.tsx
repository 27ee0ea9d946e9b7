import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import { MemoryRouter, Route, Routes } from "react-router";
import { vi, type MockInstance } from "vitest";
import { api } from "@/api/client";
import { SnapshotsRoutes } from "./routes/SnapshotsRoutes";

/** What a mocked endpoint answers: a body (200), or a status with a problem. */
export type Answer = unknown | { status: number; body: unknown };

type Handler = (params: { path?: Record<string, string>; query?: Record<string, unknown> }, body?: unknown) => Answer;

const isStatus = (answer: unknown): answer is { status: number; body: unknown } =>
  !!answer && typeof answer === "object" && "status" in answer && typeof (answer as { status: unknown }).status === "number" && "body" in answer;

function respond(answer: Answer) {
  if (isStatus(answer)) {
    const ok = answer.status < 400;
    return { data: ok ? answer.body : undefined, error: ok ? undefined : answer.body, response: new Response(null, { status: answer.status }) };
  }
  return { data: answer, error: undefined, response: new Response(null, { status: 200 }) };
}

/**
 * Replaces the typed client's GET and POST with handlers by path template (the component code runs
 * as is, only the network is faked); answers the spies to inspect calls.
 */
export function mockApi(get: Record<string, Handler>, post: Record<string, Handler> = {}) {
  const getSpy = vi.spyOn(api, "GET").mockImplementation((async (url: string, init?: { params?: Parameters<Handler>[0] }) => {
    const handler = get[url];
    if (!handler) throw new Error(`unexpected GET ${url}`);
    return respond(handler(init?.params ?? {}));
  }) as never);
  const postSpy = vi.spyOn(api, "POST").mockImplementation((async (url: string, init?: { params?: Parameters<Handler>[0]; body?: unknown }) => {
    const handler = post[url];
    if (!handler) throw new Error(`unexpected POST ${url}`);
    return respond(handler(init?.params ?? {}, init?.body));
  }) as never);
  type Call = (url: string, init?: unknown) => Promise<unknown>;
  return { getSpy: getSpy as unknown as MockInstance<Call>, postSpy: postSpy as unknown as MockInstance<Call> };
}

export const operator = { id: "u1", name: "olga", kind: "user", role: "operator", grants: [{ role: "operator", scope: "*" }], csrfToken: "t" };
export const viewer = { id: "u2", name: "vic", kind: "user", role: "viewer", grants: [{ role: "viewer", scope: "*" }], csrfToken: "t" };

export const host = {
  id: "h1",
  hostname: "alpha",
  os: "linux",
  arch: "amd64",
  agentVersion: "1",
  resticVersion: "0.17",
  protocolVersion: 1,
  status: "online",
  enrolledAt: "2026-01-01T00:00:00Z",
  firstSeenAt: null,
  lastSeenAt: null,
  heartbeatIntervalSeconds: 30,
  revokedAt: null,
  labels: [],
};

export const snapshot = {
  id: "aaaaaaaa1111",
  shortId: "aaaaaaaa",
  time: "2026-11-01T10:00:00Z",
  hostname: "alpha",
  paths: ["/srv/data"],
  tags: ["daily"],
  sizeBytes: 2048,
  fileCount: 3,
};

/** Renders the snapshot pages at a URL under /hosts/:hostId/snapshots/, with a fresh query cache. */
export function renderSnapshots(url: string) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[url]}>
        <Routes>
          <Route path="/hosts/:hostId/snapshots/*" element={<SnapshotsRoutes />} />
          <Route path="*" element={<p>elsewhere</p>} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}
