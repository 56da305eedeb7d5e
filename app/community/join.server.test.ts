import { describe, expect, it } from "vitest";
import type { JoinSettings } from "~/config.server";
import { joinNotice } from "./join.server";

const atFirstSignIn: JoinSettings = {
  guild: { id: "613425648685547541", label: "Pine Forest" },
  roles: [],
  when: "first_sign_in",
};
const offered: JoinSettings = { ...atFirstSignIn, guild: { id: "613425648685547541", label: null }, when: "offered" };

describe("what a person is told about joining", () => {
  it("says nothing when nothing was due, or they were in the server already", () => {
    expect(joinNotice(atFirstSignIn, null)).toBeNull();
    expect(joinNotice(atFirstSignIn, { outcome: "already_member" })).toBeNull();
  });

  it("tells a pending member that the server's rules come first", () => {
    expect(joinNotice(atFirstSignIn, { outcome: "added", pending: true })).toEqual({
      kind: "info",
      message:
        "You joined Pine Forest on Discord. It asks new members to accept its rules first: open it in Discord to finish.",
    });
  });

  it("says what the person can do about each failure, and whether it will be tried again", () => {
    const told = (settings: JoinSettings, reason: Parameters<typeof joinNotice>[1] & object) =>
      joinNotice(settings, reason)?.message;
    expect(told(atFirstSignIn, { outcome: "failed", reason: "too_many_servers" })).toBe(
      "Remix Discord Login could not add you to Pine Forest on Discord: your Discord account is in as many servers as Discord allows. Leave one, then log in again.",
    );
    expect(told(offered, { outcome: "failed", reason: "banned" })).toBe(
      "Remix Discord Login could not add you to the community server on Discord: the server has banned your Discord account.",
    );
    expect(told(atFirstSignIn, { outcome: "failed", reason: "rate_limited" })).toBe(
      "Remix Discord Login could not add you to Pine Forest on Discord: Discord asked to wait. It will be tried again when you next log in.",
    );
    expect(told(offered, { outcome: "failed", reason: "discord_failed" })).toBe(
      "Remix Discord Login could not add you to the community server on Discord: Discord did not answer.",
    );
  });
});
