import type { ReactNode } from "react";
import type { Middleware } from "openapi-fetch";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createMemoryRouter, RouterProvider, type RouteObject } from "react-router";
import { render } from "@testing-library/react";
import { api } from "@/api/client";
import { meQueryKey, type Me } from "@/lib/auth";

export interface MockRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

export interface MockResponse {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * Answers the typed client's requests in a component test (the server's own behaviour is tested
 * against the real server). Every request is recorded; unhandled ones answer 404 problem+json.
 */
export function mockApi(handler: (request: MockRequest) => MockResponse | undefined) {
  const requests: MockRequest[] = [];
  const middleware: Middleware = {
    async onRequest({ request }) {
      const url = new URL(request.url);
      const text = request.method === "GET" ? "" : await request.clone().text();
      const recorded = { method: request.method, path: url.pathname, query: url.searchParams, body: text ? JSON.parse(text) : undefined };
      requests.push(recorded);
      const answer = handler(recorded) ?? { status: 404, body: { title: "Not Found", status: 404 } };
      const status = answer.status ?? 200;
      const problem = status >= 400;
      return new Response(answer.body === undefined || status === 204 ? null : JSON.stringify(answer.body), {
        status,
        headers: { "Content-Type": problem ? "application/problem+json" : "application/json", ...answer.headers },
      });
    },
  };
  api.use(middleware);
  return { requests, restore: () => api.eject(middleware) };
}

export function meWith(grants: { role: string; scope: string }[], name = "alice"): Me {
  return { id: `id-${name}`, name, kind: "user", role: grants[0]?.role ?? "viewer", grants, csrfToken: "csrf" };
}

/** Renders pages in a memory router with a fresh query cache that already knows who is signed in. */
export function renderRoutes(routes: RouteObject[], { at, me }: { at: string; me: Me }) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  queryClient.setQueryData(meQueryKey, me);
  const router = createMemoryRouter(routes, { initialEntries: [at] });
  const wrap = (node: ReactNode) => <QueryClientProvider client={queryClient}>{node}</QueryClientProvider>;
  return { router, queryClient, ...render(wrap(<RouterProvider router={router} />)) };
}
