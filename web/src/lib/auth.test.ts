import { can, canAnywhere, canFleetWide, roleOn, type Me } from "./auth";

const me = (grants: { role: string; scope: string }[]): Me => ({ id: "u", name: "u", kind: "user", role: "viewer", grants, csrfToken: null });

describe("roleOn", () => {
  it("takes the highest role among the grants covering the host", () => {
    const user = me([
      { role: "viewer", scope: "*" },
      { role: "admin", scope: "label:site=paris" },
    ]);
    expect(roleOn(user, ["site=paris"])).toBe("admin");
    expect(roleOn(user, ["site=lyon"])).toBe("viewer");
  });

  it("answers null for a host no grant covers", () => {
    expect(roleOn(me([{ role: "admin", scope: "label:team=db" }]), ["team=web"])).toBeNull();
  });

  it("tells fleet-wide roles from roles somewhere", () => {
    const user = me([{ role: "admin", scope: "label:team=db" }]);
    expect(canAnywhere(user, "operator")).toBe(true);
    expect(canFleetWide(user, "operator")).toBe(false);
    expect(can(user, "operator", ["team=db"])).toBe(true);
    expect(can(user, "viewer", [])).toBe(false);
  });
});
