import { describe, expect, it } from "vitest";
import { recentDatabaseHealth, type DatabaseHealth } from "./health.server";

describe("recentDatabaseHealth", () => {
  it("asks the database at most once a second, however many ask", async () => {
    let checks = 0;
    const check = async (): Promise<DatabaseHealth> => {
      checks += 1;
      return { ok: true };
    };
    const start = 1_000_000_000;
    const answers = await Promise.all(
      [0, 1, 10, 500, 999].map((offset) => recentDatabaseHealth(start + offset, check)),
    );
    expect(answers).toEqual(Array(5).fill({ ok: true }));
    expect(checks).toBe(1);
    await recentDatabaseHealth(start + 1_000, check);
    expect(checks).toBe(2);
  });

  it("shares a failure as it shares a success, then asks again", async () => {
    const start = 2_000_000_000;
    const down = async (): Promise<DatabaseHealth> => ({ ok: false, reason: "unreachable" });
    const up = async (): Promise<DatabaseHealth> => ({ ok: true });
    expect(await recentDatabaseHealth(start, down)).toEqual({ ok: false, reason: "unreachable" });
    expect(await recentDatabaseHealth(start + 500, up)).toEqual({ ok: false, reason: "unreachable" });
    expect(await recentDatabaseHealth(start + 1_000, up)).toEqual({ ok: true });
  });
});
