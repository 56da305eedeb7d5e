import { describe, expect, it } from "vitest";
import { managesServer, notablePermissions } from "./permissions";

describe("notablePermissions", () => {
  it("names the notable bits, most powerful first", () => {
    // Manage Server (1 << 5) + Kick (1 << 1) + Send Messages (1 << 11, not notable)
    expect(notablePermissions(String((1 << 5) | (1 << 1) | (1 << 11)))).toEqual(["Manage Server", "Kick Members"]);
  });

  it("shows Administrator alone, since it implies everything", () => {
    expect(notablePermissions("2147483647")).toEqual(["Administrator"]);
    expect(notablePermissions("8")).toEqual(["Administrator"]);
  });

  it("handles bits beyond 32 and 53 bits, and nonsense", () => {
    expect(notablePermissions((1n << 40n).toString())).toEqual([]);
    expect(notablePermissions(((1n << 60n) | (1n << 28n)).toString())).toEqual(["Manage Roles"]);
    expect(notablePermissions("0")).toEqual([]);
    expect(notablePermissions("not-a-number")).toEqual([]);
  });
});

describe("managesServer", () => {
  it("is true for the owner, Administrator and Manage Server, whatever else is held", () => {
    expect(managesServer({ owner: true, permissions: "0" })).toBe(true);
    expect(managesServer({ owner: false, permissions: "8" })).toBe(true);
    expect(managesServer({ owner: false, permissions: String((1 << 5) | (1 << 11)) })).toBe(true);
    expect(managesServer({ owner: false, permissions: ((1n << 60n) | (1n << 5n)).toString() })).toBe(true);
  });

  it("is false for an ordinary member, and for a bitfield that is not a number", () => {
    expect(managesServer({ owner: false, permissions: "2218118209" })).toBe(false); // Discord's ordinary member
    expect(managesServer({ owner: false, permissions: "lots" })).toBe(false);
  });
});
