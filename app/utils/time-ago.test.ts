import { describe, expect, it } from "vitest";
import { timeAgo } from "./time-ago";

describe("timeAgo", () => {
  const now = new Date("2026-11-30T12:00:00Z");
  const before = (seconds: number) => timeAgo(new Date(now.getTime() - seconds * 1000), now).ago;

  it("reads as people say it, whatever their time zone", () => {
    expect(before(5)).toBe("just now");
    expect(before(90)).toBe("1 minute ago");
    expect(before(59 * 60)).toBe("59 minutes ago");
    expect(before(3 * 3600)).toBe("3 hours ago");
    expect(before(30 * 3600)).toBe("yesterday");
    expect(before(3 * 24 * 3600)).toBe("3 days ago");
    expect(before(15 * 24 * 3600)).toBe("2 weeks ago");
    expect(before(400 * 24 * 3600)).toBe("last year");
  });

  it("keeps the exact time, marked as UTC, and never says 'in the future'", () => {
    expect(timeAgo(new Date("2026-11-30T09:05:00Z"), now).exact).toBe("Nov 30, 2026, 9:05 AM UTC");
    expect(timeAgo(new Date(now.getTime() + 5_000), now).ago).toBe("just now");
  });
});
