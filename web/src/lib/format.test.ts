import { formatBytes, formatDuration, formatRelative } from "./format";

describe("format", () => {
  it("writes bytes in binary units", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(5 * 1024 ** 3)).toBe("5.0 GiB");
    expect(formatBytes(null)).toBe("—");
  });

  it("writes durations and relative times", () => {
    expect(formatDuration(42)).toBe("42 s");
    expect(formatDuration(3 * 3600 + 60)).toBe("3 h 1 min");
    expect(formatRelative("2026-01-01T00:00:00Z", Date.parse("2026-01-01T00:05:00Z"))).toBe("5 min 0 s ago");
    expect(formatRelative(null)).toBe("never");
  });
});
