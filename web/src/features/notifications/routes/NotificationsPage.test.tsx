import { configure, screen, within } from "@testing-library/react";
import userEvent, { type UserEvent } from "@testing-library/user-event";
import { meWith, mockApi, renderRoutes, type MockRequest } from "@/test/mockApi";
import { NotificationsPage } from "./NotificationsPage";

const routes = [{ path: "/admin/notifications", Component: NotificationsPage }];
const admin = meWith([{ role: "admin", scope: "*" }], "root");
const at = "/admin/notifications";

const hook = {
  id: "ch-1",
  name: "ops hook",
  kind: "webhook",
  settings: { url: "https://hooks.example.test/rm" },
  secretSettings: ["secret"],
  createdAt: "2026-11-01T00:00:00Z",
  updatedAt: "2026-11-01T00:00:00Z",
};
const mail = {
  id: "ch-2",
  name: "ops mail",
  kind: "email",
  settings: { host: "smtp.example.test", port: 587, security: "startTls", username: "rm", from: "rm@example.test", to: ["ops@example.test", "db@example.test"] },
  secretSettings: ["password"],
  createdAt: "2026-11-01T00:00:00Z",
  updatedAt: "2026-11-01T00:00:00Z",
};
const rule = {
  id: "ru-1",
  name: "failures",
  events: ["jobFailed", "hostOffline"],
  scope: "label:team=db",
  channelIds: ["ch-1"],
  minDuration: "5m",
  digest: null,
  enabled: true,
  createdAt: "2026-11-01T00:00:00Z",
  updatedAt: "2026-11-01T00:00:00Z",
};
const delivery = (id: string, status: string, title: string, lastAnswer: string | null) => ({
  id,
  channelId: "ch-1",
  channelName: "ops hook",
  channelKind: "webhook",
  ruleId: "ru-1",
  title,
  hostId: "h-1",
  itemCount: 1,
  status,
  attempts: status === "pending" ? 0 : 2,
  createdAt: "2026-11-29T10:00:00Z",
  lastAttemptAt: null,
  sentAt: status === "sent" ? "2026-11-29T10:00:05Z" : null,
  nextAttemptAt: null,
  lastAnswer,
});

/** A server with these channels and rules; anything else the test answers itself first. */
function server(extra: (r: MockRequest) => { status?: number; body?: unknown } | undefined = () => undefined, channels: unknown[] = [hook], rules: unknown[] = []) {
  return mockApi((r) => {
    const answer = extra(r);
    if (answer) return answer;
    if (r.method === "GET" && r.path === "/api/notification-channels") return { body: { items: channels, nextCursor: null } };
    if (r.method === "GET" && r.path === "/api/notification-rules") return { body: { items: rules, nextCursor: null } };
    if (r.method === "GET" && r.path === "/api/notifications") return { body: { items: [], nextCursor: null } };
  });
}

let restore: () => void = () => {};
afterEach(() => restore());
// The page loads three lists at once; a busy machine takes more than the default second.
configure({ asyncUtilTimeout: 5000 });

/** Replaces a field's text in one step (typing key by key re-renders the dialog each time). */
async function fill(user: UserEvent, field: HTMLElement, text: string) {
  await user.clear(field);
  await user.click(field);
  await user.paste(text);
}

describe("NotificationsPage", { timeout: 30_000 }, () => {
  it("tells a non-admin why, and asks the server nothing", async () => {
    const mock = server();
    restore = mock.restore;
    renderRoutes(routes, { at, me: meWith([{ role: "admin", scope: "label:team=db" }]) });
    expect(await screen.findByText(/You need the admin role at every host/)).toBeInTheDocument();
    expect(mock.requests).toHaveLength(0);
  });

  it("creates a webhook channel with the right body and shows a server field error under its field", async () => {
    const mock = server((r) => {
      if (r.method === "POST" && r.path === "/api/notification-channels") {
        return {
          status: 400,
          body: { title: "One or more validation errors occurred.", status: 400, errors: { "settings.url": ["must be an absolute http:// or https:// URL without user information or fragment"] } },
        };
      }
    }, []);
    restore = mock.restore;
    const user = userEvent.setup();
    renderRoutes(routes, { at, me: admin });
    expect(await screen.findByText("No channels yet.")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Add a channel" }));
    const dialog = screen.getByRole("dialog", { name: "Add a channel" });
    expect(within(dialog).getByLabelText("Name")).toHaveFocus();
    await fill(user, within(dialog).getByLabelText("Name"), "ops hook");
    expect(within(dialog).getByLabelText("Kind")).toHaveValue("webhook");
    await fill(user, within(dialog).getByLabelText("URL"), "ftp://hooks.example.test");
    const secret = within(dialog).getByLabelText("Signing secret");
    expect(secret).toHaveAttribute("type", "password");
    await fill(user, secret, "s3cret-value");
    await fill(user, within(dialog).getByLabelText("Extra headers (optional)"), "X-Team: db\nX-Env: prod");
    await user.click(within(dialog).getByRole("button", { name: "Add channel" }));

    expect(await within(dialog).findByRole("alert")).toHaveTextContent("Not saved: check the fields marked below.");
    const url = within(dialog).getByLabelText("URL");
    expect(url).toHaveAttribute("aria-invalid", "true");
    expect(url).toHaveAccessibleDescription("must be an absolute http:// or https:// URL without user information or fragment");
    expect(url).toHaveFocus();
    expect(within(dialog).getByLabelText("Signing secret")).not.toHaveAttribute("aria-invalid");
    expect(mock.requests.find((r) => r.method === "POST")?.body).toEqual({
      name: "ops hook",
      kind: "webhook",
      settings: { url: "ftp://hooks.example.test", secret: "s3cret-value", headers: { "X-Team": "db", "X-Env": "prod" } },
    });
  });

  it("keeps a stored secret when its field is left empty, sends a new one when typed, removes an optional one on request", async () => {
    const mock = server((r) => (r.method === "PUT" ? { body: mail } : undefined), [hook, mail]);
    restore = mock.restore;
    const user = userEvent.setup();
    renderRoutes(routes, { at, me: admin });

    await user.click(await screen.findByRole("button", { name: "Edit ops hook" }));
    let dialog = screen.getByRole("dialog", { name: "Edit ops hook" });
    const secret = within(dialog).getByLabelText("Signing secret");
    expect(secret).toHaveValue("");
    expect(secret).toHaveAccessibleDescription(/Set — leave empty to keep/);
    expect(within(dialog).getByLabelText("URL")).toHaveValue("https://hooks.example.test/rm");
    await user.click(within(dialog).getByRole("button", { name: "Save changes" }));
    await user.click(await screen.findByRole("button", { name: "Edit ops mail" }));
    expect(mock.requests.filter((r) => r.method === "PUT")[0]).toMatchObject({
      path: "/api/notification-channels/ch-1",
      body: { name: "ops hook", kind: "webhook", settings: { url: "https://hooks.example.test/rm" } },
    });

    dialog = screen.getByRole("dialog", { name: "Edit ops mail" });
    expect(within(dialog).getByLabelText("To")).toHaveValue("ops@example.test\ndb@example.test");
    expect(within(dialog).getByLabelText("Port (optional)")).toHaveValue("587");
    await user.click(within(dialog).getByRole("checkbox", { name: "Remove the stored password" }));
    expect(within(dialog).getByLabelText("Password (optional)")).toBeDisabled();
    await user.clear(within(dialog).getByLabelText("Username (optional)"));
    await user.click(within(dialog).getByRole("button", { name: "Save changes" }));
    await screen.findByRole("button", { name: "Edit ops mail" });
    expect(mock.requests.filter((r) => r.method === "PUT")[1]).toMatchObject({
      path: "/api/notification-channels/ch-2",
      body: {
        name: "ops mail",
        kind: "email",
        settings: { host: "smtp.example.test", port: 587, security: "startTls", password: null, from: "rm@example.test", to: ["ops@example.test", "db@example.test"] },
      },
    });

    // A new value replaces the stored secret; a change of kind does not claim the old kind's secrets are set.
    await user.click(screen.getByRole("button", { name: "Edit ops hook" }));
    dialog = screen.getByRole("dialog", { name: "Edit ops hook" });
    await fill(user, within(dialog).getByLabelText("Signing secret"), "new-secret");
    await user.selectOptions(within(dialog).getByLabelText("Kind"), "slack");
    expect(within(dialog).getByLabelText("Slack webhook URL")).not.toHaveAccessibleDescription(/leave empty to keep/);
    await user.selectOptions(within(dialog).getByLabelText("Kind"), "webhook");
    expect(within(dialog).getByLabelText("Signing secret")).toHaveAccessibleDescription(/Set — leave empty to keep/);
    await fill(user, within(dialog).getByLabelText("Signing secret"), "new-secret");
    await user.click(within(dialog).getByRole("button", { name: "Save changes" }));
    await screen.findByRole("button", { name: "Edit ops hook" });
    expect(mock.requests.filter((r) => r.method === "PUT")[2]?.body).toEqual({
      name: "ops hook",
      kind: "webhook",
      settings: { url: "https://hooks.example.test/rm", secret: "new-secret" },
    });
  });

  it("sends a test and shows whether it was delivered and the answer, in words", async () => {
    const mock = server((r) => (r.method === "POST" && r.path === "/api/notification-channels/ch-1/test" ? { body: { delivered: false, answer: "HTTP 503: down for maintenance" } } : undefined));
    restore = mock.restore;
    const user = userEvent.setup();
    renderRoutes(routes, { at, me: admin });
    await user.click(await screen.findByRole("button", { name: "Send test to ops hook" }));
    const item = screen.getByRole("heading", { name: "ops hook" }).closest("li")!;
    expect(await within(item).findByText("Test not delivered")).toBeInTheDocument();
    expect(within(item).getByRole("status")).toHaveTextContent("HTTP 503: down for maintenance");
  });

  it("checks a rule before sending it, then sends the right body", async () => {
    const mock = server((r) => (r.method === "POST" && r.path === "/api/notification-rules" ? { status: 201, body: rule } : undefined));
    restore = mock.restore;
    const user = userEvent.setup();
    renderRoutes(routes, { at, me: admin });
    expect(await screen.findByText("No rules yet.")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Add a rule" }));
    const dialog = screen.getByRole("dialog", { name: "Add a rule" });
    await user.click(within(dialog).getByRole("checkbox", { name: "Backup or job failed" }));
    await fill(user, within(dialog).getByLabelText("Hosts"), "team=db");
    await fill(user, within(dialog).getByLabelText("Minimum duration (optional)"), "5 minutes");
    await user.click(within(dialog).getByRole("button", { name: "Add rule" }));

    expect(within(dialog).getByRole("alert")).toHaveTextContent("Not saved: check the fields marked below.");
    expect(within(dialog).getByLabelText("Name")).toHaveAccessibleDescription("Give the rule a name.");
    expect(within(dialog).getByRole("group", { name: "Events" })).toHaveAccessibleDescription("Choose at least one event.");
    expect(within(dialog).getByRole("group", { name: "Channels" })).toHaveAccessibleDescription("Choose at least one channel.");
    expect(within(dialog).getByLabelText("Hosts")).toHaveAccessibleDescription(/label:key=value/);
    expect(within(dialog).getByLabelText("Minimum duration (optional)")).toHaveAttribute("aria-invalid", "true");
    expect(mock.requests.some((r) => r.method === "POST")).toBe(false);

    await fill(user, within(dialog).getByLabelText("Name"), "db failures");
    await user.click(within(dialog).getByRole("checkbox", { name: "Backup or job failed" }));
    await user.click(within(dialog).getByRole("checkbox", { name: "Host offline" }));
    await user.click(within(dialog).getByRole("checkbox", { name: /ops hook/ }));
    await fill(user, within(dialog).getByLabelText("Hosts"), "label:team=db");
    await fill(user, within(dialog).getByLabelText("Minimum duration (optional)"), "5m");
    await fill(user, within(dialog).getByLabelText("Digest every (optional)"), "1h30m");
    await user.click(within(dialog).getByRole("button", { name: "Add rule" }));
    await screen.findByRole("button", { name: "Add a rule" });
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(mock.requests.find((r) => r.method === "POST")?.body).toEqual({
      name: "db failures",
      events: ["jobFailed", "hostOffline"],
      scope: "label:team=db",
      channelIds: ["ch-1"],
      minDuration: "5m",
      digest: { every: "1h30m" },
      enabled: true,
    });
  });

  it("lists rules in words and deletes one after asking", async () => {
    const mock = server((r) => (r.method === "DELETE" ? { status: 204 } : undefined), [hook], [rule]);
    restore = mock.restore;
    const user = userEvent.setup();
    renderRoutes(routes, { at, me: admin });
    const item = (await screen.findByRole("heading", { name: /failures/ })).closest("li")!;
    expect(item).toHaveTextContent("Enabled");
    expect(item).toHaveTextContent("Backup or job failed, Host offline");
    expect(item).toHaveTextContent("label:team=db → ops hook · lasting at least 5m");
    await user.click(within(item).getByRole("button", { name: "Delete failures" }));
    const dialog = screen.getByRole("dialog", { name: "Delete failures?" });
    expect(within(dialog).getByRole("button", { name: "Cancel" })).toHaveFocus();
    await user.click(within(dialog).getByRole("button", { name: "Delete rule" }));
    expect(await screen.findByRole("button", { name: "Add a rule" })).toBeInTheDocument();
    expect(mock.requests.find((r) => r.method === "DELETE")?.path).toBe("/api/notification-rules/ru-1");
  });

  it("filters the history by status and loads more with the cursor", async () => {
    const mock = server((r) => {
      if (r.method !== "GET" || r.path !== "/api/notifications") return undefined;
      const status = r.query.get("status");
      if (status === "failed") return { body: { items: [delivery("d-9", "failed", "Backup of db1 failed", "HTTP 410: gone")], nextCursor: null } };
      if (r.query.get("cursor") === "d-8") return { body: { items: [delivery("d-7", "pending", "Host db2 offline", null)], nextCursor: null } };
      return { body: { items: [delivery("d-9", "failed", "Backup of db1 failed", "HTTP 410: gone"), delivery("d-8", "sent", "Host db1 back", "HTTP 200: ok")], nextCursor: "d-8" } };
    });
    restore = mock.restore;
    const user = userEvent.setup();
    renderRoutes(routes, { at, me: admin });
    const list = await screen.findByRole("list", { name: "Deliveries, newest first" });
    const items = within(list).getAllByRole("listitem");
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent("Backup of db1 failed");
    expect(items[0]).toHaveTextContent("Failed");
    expect(items[0]).toHaveTextContent("Answer: HTTP 410: gone");
    expect(items[1]).toHaveTextContent("Sent");

    await user.click(screen.getByRole("button", { name: "Load more" }));
    expect(await within(list).findByText("Host db2 offline")).toBeInTheDocument();
    expect(mock.requests.some((r) => r.path === "/api/notifications" && r.query.get("cursor") === "d-8")).toBe(true);
    expect(screen.queryByRole("button", { name: "Load more" })).not.toBeInTheDocument();

    await user.selectOptions(screen.getByLabelText("Status"), "failed");
    await screen.findByText("Backup of db1 failed");
    expect(await screen.findByRole("list", { name: "Deliveries, newest first" })).not.toHaveTextContent("Host db1 back");
    const last = mock.requests.filter((r) => r.path === "/api/notifications").at(-1)!;
    expect(last.query.get("status")).toBe("failed");
    expect(last.query.get("cursor")).toBeNull();
  });
});
