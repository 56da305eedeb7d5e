import { describe, expect, it } from "vitest";
import { inviteCode } from "./required-servers.server";

describe("inviteCode", () => {
  it("reads the code from Discord's invite links and the emulator's", () => {
    expect(inviteCode("https://discord.gg/abc123")).toBe("abc123");
    expect(inviteCode("https://discord.com/invite/abc-123?event=1")).toBe("abc-123");
    expect(inviteCode("http://127.0.0.1:53682/invite/emulator-hq")).toBe("emulator-hq");
  });

  it("finds none in other links, which are still shown as they are", () => {
    expect(inviteCode("https://example.com/join-us")).toBeNull();
    expect(inviteCode("https://discord.gg/")).toBeNull();
    expect(inviteCode("https://discord.com/invite/no%20spaces")).toBeNull();
  });
});
