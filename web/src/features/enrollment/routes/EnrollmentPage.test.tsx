import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { meWith, mockApi, renderRoutes } from "@/test/mockApi";
import { EnrollmentPage } from "./EnrollmentPage";

const routes = [{ path: "/enroll", Component: EnrollmentPage }];
const builds = {
  version: "1.2.3",
  protocol: 1,
  builds: [
    { platform: "linux-x64", sha256: "a".repeat(64), size: 1000, url: "http://server/install/agent/linux-x64" },
    { platform: "win-x64", sha256: "b".repeat(64), size: 1000, url: "http://server/install/agent/win-x64" },
  ],
};
let restore: () => void = () => {};
afterEach(() => restore());

describe("EnrollmentPage", () => {
  it("creates a token with the chosen lifetime and puts the origin and the token in both one-liners", async () => {
    const mock = mockApi((r) =>
      r.method === "POST" && r.path === "/api/enrollment-tokens"
        ? { status: 201, body: { token: "rme_one-time", expiresAt: "2030-01-01T00:00:00Z" } }
        : r.path === "/install/agent/builds"
          ? { status: 200, body: builds }
          : undefined,
    );
    restore = mock.restore;
    const user = userEvent.setup();
    renderRoutes(routes, { at: "/enroll", me: meWith([{ role: "operator", scope: "*" }]) });

    await user.selectOptions(screen.getByLabelText("Token lifetime"), "1 day");
    await user.click(screen.getByRole("button", { name: "Create enrollment token" }));

    expect(await screen.findByLabelText("Enrollment token")).toHaveValue("rme_one-time");
    expect(mock.requests.find((r) => r.method === "POST")?.body).toEqual({ ttlMinutes: 1440 });
    const origin = window.location.origin;
    const linux = screen.getByRole("figure", { name: "Linux install snippet" });
    expect(linux.querySelector("code")?.textContent).toBe(`curl -fsSL ${origin}/install/agent.sh | sudo sh -s -- --token rme_one-time`);
    const windows = screen.getByRole("figure", { name: "Windows install snippet" });
    expect(windows.querySelector("code")?.textContent).toBe(`iex "& { $(irm ${origin}/install/agent.ps1) } -Token rme_one-time"`);
    expect(screen.getByRole("button", { name: "Copy Linux install snippet" })).toBeInTheDocument();
    expect(await screen.findByText("This server ships agent 1.2.3 for linux-x64, win-x64.")).toBeInTheDocument();
  });

  it("copies the Linux one-liner as one line", async () => {
    const mock = mockApi((r) => (r.method === "POST" ? { status: 201, body: { token: "rme_line", expiresAt: "2030-01-01T00:00:00Z" } } : { status: 200, body: builds }));
    restore = mock.restore;
    const user = userEvent.setup();
    renderRoutes(routes, { at: "/enroll", me: meWith([{ role: "operator", scope: "*" }]) });
    await user.click(screen.getByRole("button", { name: "Create enrollment token" }));
    await user.click(await screen.findByRole("button", { name: "Copy Linux install snippet" }));
    expect(await navigator.clipboard.readText()).toBe(`curl -fsSL ${window.location.origin}/install/agent.sh | sudo sh -s -- --token rme_line`);
  });

  it("says so when the server has no agent builds for the one-liners to download", async () => {
    const mock = mockApi((r) =>
      r.method === "POST" ? { status: 201, body: { token: "rme_y", expiresAt: "2030-01-01T00:00:00Z" } } : { status: 200, body: { version: "1.2.3", protocol: null, builds: [] } },
    );
    restore = mock.restore;
    const user = userEvent.setup();
    renderRoutes(routes, { at: "/enroll", me: meWith([{ role: "operator", scope: "*" }]) });
    await user.click(screen.getByRole("button", { name: "Create enrollment token" }));
    expect(await screen.findByText(/This server has no agent builds to hand out/)).toHaveTextContent("packaging/build.sh");
  });

  it("announces Copied after copying a snippet", async () => {
    const mock = mockApi((r) => (r.method === "POST" ? { status: 201, body: { token: "rme_x", expiresAt: "2030-01-01T00:00:00Z" } } : { status: 200, body: builds }));
    restore = mock.restore;
    const user = userEvent.setup();
    renderRoutes(routes, { at: "/enroll", me: meWith([{ role: "admin", scope: "*" }]) });
    await user.click(screen.getByRole("button", { name: "Create enrollment token" }));
    await user.click(await screen.findByRole("button", { name: "Copy Windows install snippet" }));
    expect(await screen.findByText("Copied")).toBeInTheDocument();
    expect(await navigator.clipboard.readText()).toBe(`iex "& { $(irm ${window.location.origin}/install/agent.ps1) } -Token rme_x"`);
  });

  it("offers nothing to create without operator at *", () => {
    renderRoutes(routes, { at: "/enroll", me: meWith([{ role: "admin", scope: "label:team=db" }]) });
    expect(screen.queryByRole("button", { name: /Create/ })).not.toBeInTheDocument();
    expect(screen.getByText(/operator role at every host/)).toBeInTheDocument();
  });
});
