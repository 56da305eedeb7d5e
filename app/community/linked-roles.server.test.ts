import { describe, expect, it } from "vitest";
import type { User } from "~/db/schema";
import { ROLE_CONNECTION_METADATA, roleConnectionOf } from "./linked-roles.server";

describe("the Linked Roles metadata this app declares", () => {
  it("keeps within Discord's limits: 5 records, keys a-z0-9_ up to 50, names 100, descriptions 200, types 1-8", () => {
    expect(ROLE_CONNECTION_METADATA.length).toBeLessThanOrEqual(5);
    expect(new Set(ROLE_CONNECTION_METADATA.map((record) => record.key)).size).toBe(ROLE_CONNECTION_METADATA.length);
    for (const record of ROLE_CONNECTION_METADATA) {
      expect(record.key).toMatch(/^[a-z0-9_]{1,50}$/);
      expect([...record.name].length).toBeLessThanOrEqual(100);
      expect([...record.description].length).toBeLessThanOrEqual(200);
      expect(record.type).toBeGreaterThanOrEqual(1);
      expect(record.type).toBeLessThanOrEqual(8);
    }
  });

  it("gives every record a value of its type, as the string Discord takes, within 100 characters", () => {
    const user = {
      username: "u".repeat(120),
      created_at: new Date("2026-02-03T04:05:06.000Z"),
      email_verified: true,
    } as User;
    const connection = roleConnectionOf(user);
    expect(connection.platform_username).toHaveLength(100);
    expect(Object.keys(connection.metadata).sort()).toEqual(ROLE_CONNECTION_METADATA.map((r) => r.key).sort());
    expect(connection.metadata).toEqual({ member_since: "2026-02-03T04:05:06.000Z", email_verified: "1" });
    expect(roleConnectionOf({ ...user, email_verified: false }).metadata.email_verified).toBe("0");
  });
});
