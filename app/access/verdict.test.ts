import { describe, expect, it } from "vitest";
import { decide } from "./verdict";

const HQ = "613425648685547541";
const FOREST = "613425648685547600";
const MODERATOR = "700000000000000001";
const MEMBER = "700000000000000002";
const OTHER = "700000000000000099";

const servers = (...ids: string[]) => ids.map((id) => ({ id, label: null }));
const roles = (...ids: string[]) => ids.map((id) => ({ id, label: null }));

describe("decide", () => {
  it("membership alone: the first required server the person is in", () => {
    const rules = { guilds: servers(HQ, FOREST), roles: [] };
    expect(decide(rules, new Map([[FOREST, []]]))).toEqual({ allowed: true, guildId: FOREST, roleIds: [] });
    expect(
      decide(
        rules,
        new Map([
          [HQ, []],
          [FOREST, []],
        ]),
      ),
    ).toEqual({ allowed: true, guildId: HQ, roleIds: [] });
  });

  it("refuses a person in none of the servers, or about whom Discord was not asked", () => {
    const rules = { guilds: servers(HQ), roles: [] };
    expect(decide(rules, new Map([[HQ, null]]))).toEqual({ allowed: false, reason: "not_member" });
    expect(decide(rules, new Map())).toEqual({ allowed: false, reason: "not_member" });
    // A server outside the rules does not count, whatever roles are held there.
    expect(decide(rules, new Map([[FOREST, [MODERATOR]]]))).toEqual({ allowed: false, reason: "not_member" });
  });

  it("roles: any one of the required roles, reporting every required role held", () => {
    const rules = { guilds: servers(HQ), roles: roles(MODERATOR, MEMBER) };
    expect(decide(rules, new Map([[HQ, [OTHER, MEMBER, MODERATOR]]]))).toEqual({
      allowed: true,
      guildId: HQ,
      roleIds: [MEMBER, MODERATOR],
    });
  });

  it("tells a member without the role apart from a stranger", () => {
    const rules = { guilds: servers(HQ, FOREST), roles: roles(MODERATOR) };
    expect(
      decide(
        rules,
        new Map([
          [HQ, [OTHER]],
          [FOREST, null],
        ]),
      ),
    ).toEqual({ allowed: false, reason: "missing_role" });
    expect(decide(rules, new Map([[HQ, null]]))).toEqual({ allowed: false, reason: "not_member" });
  });

  it("a role held in a second required server passes when the first has none", () => {
    const rules = { guilds: servers(HQ, FOREST), roles: roles(MODERATOR) };
    expect(
      decide(
        rules,
        new Map([
          [HQ, []],
          [FOREST, [MODERATOR]],
        ]),
      ),
    ).toEqual({ allowed: true, guildId: FOREST, roleIds: [MODERATOR] });
  });
});
