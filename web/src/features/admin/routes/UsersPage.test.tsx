import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { meWith, mockApi, renderRoutes } from "@/test/mockApi";
import { UsersPage } from "./UsersPage";

const routes = [{ path: "/admin/users", Component: UsersPage }];
const admin = meWith([{ role: "admin", scope: "*" }], "root");
const rootUser = {
  id: "id-root",
  username: "root",
  displayName: null,
  grants: [{ role: "admin", scope: "*" }],
  disabled: false,
  hasPassword: true,
  externalIssuer: null,
  createdAt: "2026-11-01T00:00:00Z",
  passwordChangedAt: null,
  lastLoginAt: null,
  lockedUntil: null,
};
let restore: () => void = () => {};
afterEach(() => restore());

describe("UsersPage", () => {
  it("asks before deleting, and says clearly why the last admin cannot go", async () => {
    const mock = mockApi((r) => {
      if (r.method === "GET" && r.path === "/api/users") return { body: { items: [rootUser], nextCursor: null } };
      if (r.method === "DELETE") {
        return { status: 409, body: { title: "Conflict", status: 409, detail: "The last enabled user holding admin@* cannot be disabled, deleted or lose that grant: give another user admin@* first." } };
      }
    });
    restore = mock.restore;
    const user = userEvent.setup();
    renderRoutes(routes, { at: "/admin/users", me: admin });

    const row = await screen.findByRole("row", { name: /root/ });
    expect(row).toHaveTextContent("admin on every host (*)");
    expect(row).toHaveTextContent("Active");
    await user.click(within(row).getByRole("button", { name: "Delete root" }));
    const dialog = screen.getByRole("dialog", { name: "Delete root?" });
    expect(within(dialog).getByRole("button", { name: "Cancel" })).toHaveFocus();
    expect(mock.requests.some((r) => r.method === "DELETE")).toBe(false);

    await user.click(within(dialog).getByRole("button", { name: "Delete user" }));
    expect(await within(dialog).findByRole("alert")).toHaveTextContent("The last enabled user holding admin@* cannot be disabled, deleted");
    expect(mock.requests.find((r) => r.method === "DELETE")?.path).toBe("/api/users/id-root");
    expect(screen.getByRole("dialog", { name: "Delete root?" })).toBeInTheDocument();
  });

  it("creates a user with a password and label grant", async () => {
    const mock = mockApi((r) => {
      if (r.method === "GET" && r.path === "/api/users") return { body: { items: [rootUser], nextCursor: null } };
      if (r.method === "POST" && r.path === "/api/users") return { status: 201, body: { ...rootUser, id: "id-bob", username: "bob" } };
    });
    restore = mock.restore;
    const user = userEvent.setup();
    renderRoutes(routes, { at: "/admin/users", me: admin });
    await user.click(await screen.findByRole("button", { name: "Create a user" }));
    const dialog = screen.getByRole("dialog", { name: "Create a user" });
    expect(within(dialog).getByLabelText("Username")).toHaveFocus();
    await user.type(within(dialog).getByLabelText("Username"), "bob");
    await user.type(within(dialog).getByLabelText("Password"), "a-long-password-1");
    const grant = within(dialog).getByRole("group", { name: "Grant 1" });
    await user.selectOptions(within(grant).getByLabelText("Role"), "operator");
    await user.selectOptions(within(grant).getByLabelText("Scope"), "label");
    await user.type(within(grant).getByLabelText("Label"), "team=db");
    await user.click(within(dialog).getByRole("button", { name: "Create user" }));
    await screen.findByRole("button", { name: "Create a user" });
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(mock.requests.find((r) => r.method === "POST")?.body).toEqual({
      username: "bob",
      displayName: null,
      password: "a-long-password-1",
      grants: [{ role: "operator", scope: "label:team=db" }],
    });
  });
});
