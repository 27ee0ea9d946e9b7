import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";

export type Schemas = components["schemas"];

/** Problem details as the server sends them (RFC 9457), with per-field errors on 400. */
export interface Problem {
  status: number;
  title: string;
  detail?: string;
  errors?: Record<string, string[]>;
}

let csrfToken: string | null = null;

/** The session's antiforgery token (from POST /api/session or GET /api/me); sent on every write. */
export function setCsrfToken(token: string | null | undefined) {
  csrfToken = token ?? null;
}

/** Fired when the server answers 401: the session ended (idle, revoked, logged out elsewhere). */
export const sessionExpiredEvent = "rm:session-expired";

const sessionMiddleware: Middleware = {
  onRequest({ request }) {
    if (request.method !== "GET" && request.method !== "HEAD" && csrfToken) {
      request.headers.set("X-CSRF-Token", csrfToken);
    }
    return request;
  },
  onResponse({ request, response }) {
    if (response.status === 401 && !new URL(request.url).pathname.startsWith("/api/session")) {
      window.dispatchEvent(new Event(sessionExpiredEvent));
    }
    return response;
  },
};

/** The typed REST client: same origin, the session cookie, never a token. */
export const api = createClient<paths>({ baseUrl: window.location.origin, credentials: "same-origin" });
api.use(sessionMiddleware);

/** An error thrown by query and mutation functions: carries the server's problem details. */
export class ApiError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = "ApiError";
    this.problem = problem;
  }

  get status() {
    return this.problem.status;
  }

  /**
   * The server's message for one field, for an inline error: a key naming the field ("cron", "Cron") or,
   * unless `exact`, a part of it ("paths[2]", "target.path", "grants[1].scope" are errors of "paths",
   * "target", "grants"; "grants[1]" of "grants[1]"), case-insensitively; the exact key first.
   */
  fieldError(field: string, exact = false): string | undefined {
    const errors = this.problem.errors ?? {};
    const keys = Object.keys(errors);
    const key = keys.find((k) => k.toLowerCase() === field.toLowerCase()) ?? (exact ? undefined : keys.find((k) => isPartOf(k, field)));
    return key ? errors[key]?.join(" ") : undefined;
  }
}

/** Whether a problem's error key names `field` or a part of it ("paths[2]", "target.path"), case-insensitively. */
export function isPartOf(key: string, field: string): boolean {
  const k = key.toLowerCase();
  const f = field.toLowerCase();
  return k === f || k.startsWith(`${f}[`) || k.startsWith(`${f}.`);
}

/** `ApiError.fieldError` of any error a query or mutation threw (undefined for other errors). */
export function fieldErrorOf(error: unknown, field: string, exact = false): string | undefined {
  return error instanceof ApiError ? error.fieldError(field, exact) : undefined;
}

/** Unwraps an openapi-fetch result: the data, or an ApiError with the problem (or a generic one). */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok) {
    return result.data as T;
  }
  throw new ApiError(toProblem(result.error, result.response));
}

function toProblem(error: unknown, response: Response): Problem {
  if (error && typeof error === "object" && "title" in error) {
    const p = error as Partial<Problem>;
    return { status: response.status, title: String(p.title), detail: p.detail ?? undefined, errors: p.errors ?? undefined };
  }
  return { status: response.status, title: response.statusText || `HTTP ${response.status}` };
}

/** A human sentence for any error a query or mutation threw. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    return error.problem.detail ?? error.problem.title;
  }
  if (error instanceof TypeError) {
    return "The server cannot be reached. Check the connection and try again.";
  }
  return error instanceof Error ? error.message : String(error);
}
