import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { meWith, mockApi, renderRoutes } from "@/test/mockApi";
import { EnrollmentPage } from "./EnrollmentPage";

const routes = [{ path: "/enroll", Component: EnrollmentPage }];
let restore: () => void = () => {};
afterEach(() => restore());

describe("EnrollmentPage", () => {
  it("creates a token with the chosen lifetime and puts the origin and the token in both snippets", async () => {
    const mock = mockApi((r) => (r.method === "POST" && r.path === "/api/enrollment-tokens" ? { status: 201, body: { token: "rme_one-time", expiresAt: "2030-01-01T00:00:00Z" } } : undefined));
    restore = mock.restore;
    const user = userEvent.setup();
    renderRoutes(routes, { at: "/enroll", me: meWith([{ role: "operator", scope: "*" }]) });

    await user.selectOptions(screen.getByLabelText("Token lifetime"), "1 day");
    await user.click(screen.getByRole("button", { name: "Create enrollment token" }));

    expect(await screen.findByLabelText("Enrollment token")).toHaveValue("rme_one-time");
    expect(mock.requests.find((r) => r.method === "POST")?.body).toEqual({ ttlMinutes: 1440 });
    const origin = window.location.origin;
    const linux = screen.getByRole("figure", { name: "Linux install snippet" });
    expect(linux).toHaveTextContent(`ResticManager.Agent enroll --server ${origin} --token rme_one-time --config /etc/restic-manager`);
    expect(linux).toHaveTextContent("ResticManager.Agent run --config /etc/restic-manager");
    const windows = screen.getByRole("figure", { name: "Windows install snippet" });
    expect(windows).toHaveTextContent(`.\\ResticManager.Agent.exe enroll --server ${origin} --token rme_one-time --config "C:\\ProgramData\\ResticManager"`);
    expect(screen.getByRole("button", { name: "Copy Linux install snippet" })).toBeInTheDocument();
  });

  it("announces Copied after copying a snippet", async () => {
    const mock = mockApi(() => ({ status: 201, body: { token: "rme_x", expiresAt: "2030-01-01T00:00:00Z" } }));
    restore = mock.restore;
    const user = userEvent.setup();
    renderRoutes(routes, { at: "/enroll", me: meWith([{ role: "admin", scope: "*" }]) });
    await user.click(screen.getByRole("button", { name: "Create enrollment token" }));
    await user.click(await screen.findByRole("button", { name: "Copy Windows install snippet" }));
    expect(await screen.findByText("Copied")).toBeInTheDocument();
    expect(await navigator.clipboard.readText()).toContain("--token rme_x");
  });

  it("offers nothing to create without operator at *", () => {
    renderRoutes(routes, { at: "/enroll", me: meWith([{ role: "admin", scope: "label:team=db" }]) });
    expect(screen.queryByRole("button", { name: /Create/ })).not.toBeInTheDocument();
    expect(screen.getByText(/operator role at every host/)).toBeInTheDocument();
  });
});
