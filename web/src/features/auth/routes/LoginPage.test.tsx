import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { meWith, mockApi, renderRoutes } from "@/test/mockApi";
import { LoginPage } from "./LoginPage";

const routes = [{ path: "/login", Component: LoginPage }, { path: "/", element: <h1>Home</h1> }];
let restore: () => void = () => {};
afterEach(() => restore());

describe("LoginPage", () => {
  it("announces a throttled login with the server's Retry-After and holds the button", async () => {
    const mock = mockApi((r) => {
      if (r.path === "/api/session/providers") return { body: { localLogin: true, oidc: null } };
      if (r.path === "/api/session") return { status: 429, headers: { "Retry-After": "42" }, body: { title: "Too many requests", status: 429 } };
    });
    restore = mock.restore;
    const user = userEvent.setup();
    renderRoutes(routes, { at: "/login", me: meWith([]) });
    await user.type(await screen.findByLabelText("Username"), "alice");
    await user.type(screen.getByLabelText("Password"), "wrong password");
    await user.click(screen.getByRole("button", { name: "Log in" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Try again in 42 s");
    expect(screen.getByRole("button", { name: "Log in" })).toBeDisabled();
  });

  it("disables the password form when local login is off and offers single sign-on", async () => {
    const mock = mockApi((r) => (r.path === "/api/session/providers" ? { body: { localLogin: false, oidc: { displayName: "Acme SSO", loginUrl: "/api/session/oidc" } } } : undefined));
    restore = mock.restore;
    renderRoutes(routes, { at: "/login?returnUrl=/hosts/h1", me: meWith([]) });
    expect(await screen.findByRole("link", { name: "Log in with Acme SSO" })).toHaveAttribute("href", "/api/session/oidc?returnUrl=%2Fhosts%2Fh1");
    expect(screen.getByLabelText("Username")).toBeDisabled();
    expect(screen.getByText(/Password login is turned off/)).toBeInTheDocument();
  });
});
