import { describe, expect, it } from "vitest";
import { ApiError, fieldErrorOf } from "./client";

describe("field errors of a problem", () => {
  const error = new ApiError({
    status: 400,
    title: "Invalid",
    errors: { "Paths[2]": ["Must be absolute."], "target.path": ["Required."], "grants[1].scope": ["Unknown label."], Cron: ["Bad cron."] },
  });

  it("finds a field by its key or a part of it, case-insensitively", () => {
    expect(error.fieldError("cron")).toBe("Bad cron.");
    expect(error.fieldError("paths")).toBe("Must be absolute.");
    expect(error.fieldError("paths[2]")).toBe("Must be absolute.");
    expect(error.fieldError("target")).toBe("Required.");
    expect(error.fieldError("target.path")).toBe("Required.");
    expect(error.fieldError("grants")).toBe("Unknown label.");
    expect(error.fieldError("grants[1].scope")).toBe("Unknown label.");
    expect(error.fieldError("pathsExtra")).toBeUndefined();
  });

  it("keeps to the key itself when asked to, and answers nothing for other errors", () => {
    expect(error.fieldError("target", true)).toBeUndefined();
    expect(fieldErrorOf(error, "target.path")).toBe("Required.");
    expect(fieldErrorOf(new Error("x"), "cron")).toBeUndefined();
  });
});
