import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Link, Outlet } from "react-router";
import { meWith, mockApi, renderRoutes, type MockRequest } from "@/test/mockApi";
import { TokensPage } from "./TokensPage";

const admin = meWith([{ role: "admin", scope: "*" }]);

function Layout() {
  return (
    <>
      <nav>
        <Link to="/admin/tokens">Tokens</Link> <Link to="/elsewhere">Elsewhere</Link>
      </nav>
      <Outlet />
    </>
  );
}

const routes = [
  {
    path: "/",
    Component: Layout,
    children: [
      { path: "admin/tokens", Component: TokensPage },
      { path: "elsewhere", element: <h1>Elsewhere</h1> },
    ],
  },
];

let restore: () => void = () => {};
afterEach(() => restore());

describe("TokensPage", () => {
  it("builds the grants of the request and shows the server's field error beside the grant", async () => {
    const mock = mockApi((r: MockRequest) => {
      if (r.method === "GET" && r.path === "/api/api-tokens") return { body: { items: [], nextCursor: null } };
      if (r.method === "POST" && r.path === "/api/api-tokens") {
        return { status: 400, body: { title: "One or more validation errors occurred.", status: 400, errors: { "grants[1].scope": ["label must be key=value"] } } };
      }
    });
    restore = mock.restore;
    const user = userEvent.setup();
    renderRoutes(routes, { at: "/admin/tokens", me: admin });

    await user.type(await screen.findByLabelText("Token name"), "nightly-report");
    await user.click(screen.getByRole("button", { name: "Add a grant" }));
    const second = screen.getByRole("group", { name: "Grant 2" });
    await user.selectOptions(within(second).getByLabelText("Role"), "operator");
    await user.selectOptions(within(second).getByLabelText("Scope"), "label");
    await user.type(within(second).getByLabelText("Label"), "team db");
    await user.click(screen.getByRole("button", { name: "Create token" }));

    const label = within(second).getByLabelText("Label");
    await waitFor(() => expect(label).toHaveAttribute("aria-invalid", "true"));
    expect(label).toHaveAccessibleDescription(expect.stringContaining("label must be key=value"));
    expect(label).toHaveFocus();
    expect(within(screen.getByRole("group", { name: "Grant 1" })).getByLabelText("Role")).not.toHaveAttribute("aria-invalid");
    const post = mock.requests.find((r) => r.method === "POST");
    expect(post?.body).toEqual({
      name: "nightly-report",
      role: null,
      grants: [
        { role: "viewer", scope: "*" },
        { role: "operator", scope: "label:team db" },
      ],
    });
  });

  it("shows the secret once, and not after navigating away and back", async () => {
    let created = false;
    const mock = mockApi((r) => {
      if (r.method === "GET" && r.path === "/api/api-tokens") {
        return { body: { items: created ? [{ id: "t1", name: "ci", grants: [{ role: "viewer", scope: "*" }], createdAt: "2026-11-29T10:00:00Z", revokedAt: null }] : [], nextCursor: null } };
      }
      if (r.method === "POST" && r.path === "/api/api-tokens") {
        created = true;
        return { status: 201, body: { id: "t1", name: "ci", grants: [{ role: "viewer", scope: "*" }], token: "rmt_the-secret" } };
      }
    });
    restore = mock.restore;
    const user = userEvent.setup();
    renderRoutes(routes, { at: "/admin/tokens", me: admin });

    await user.type(await screen.findByLabelText("Token name"), "ci");
    await user.click(screen.getByRole("button", { name: "Create token" }));
    expect(await screen.findByLabelText("API token secret")).toHaveValue("rmt_the-secret");
    expect(screen.getByText(/you will not see it again/i)).toBeInTheDocument();
    expect(await screen.findByRole("row", { name: /ci/ })).toBeInTheDocument();

    await user.click(screen.getByRole("link", { name: "Elsewhere" }));
    await screen.findByRole("heading", { name: "Elsewhere" });
    await user.click(screen.getByRole("link", { name: "Tokens" }));
    await screen.findByRole("row", { name: /ci/ });
    expect(screen.queryByLabelText("API token secret")).not.toBeInTheDocument();
    expect(screen.queryByDisplayValue("rmt_the-secret")).not.toBeInTheDocument();
    expect(document.body.textContent).not.toContain("rmt_the-secret");
  });

  it("tells a non-admin who reaches the page that it needs admin at *", async () => {
    const mock = mockApi(() => undefined);
    restore = mock.restore;
    renderRoutes(routes, { at: "/admin/tokens", me: meWith([{ role: "admin", scope: "label:team=db" }]) });
    expect(await screen.findByText(/You need the admin role at every host \(\*\)/)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Create token" })).not.toBeInTheDocument();
    expect(mock.requests).toHaveLength(0);
  });
});
