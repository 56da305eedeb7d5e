import type { AppContext } from "../app-context";
import { ALL_PERMISSIONS } from "../discord/permissions";
import type { Router } from "../http/router";
import { sendJson, sendNoContent } from "../http/respond";
import { type Member, newcomer } from "../state/guilds";
import { controlError, invalidField, readJsonBody } from "./control-json";
import { memberSchema } from "./control-schemas";
import { memberJson } from "./guild-json";
import { accountFrom, guildFrom, memberFrom, roleFrom } from "./lookups";

const MEMBER = "/_emulator/guilds/:guildId/members/:accountId";

/** Who is in a server and which roles they hold, changed while the app is running. */
export function registerMemberRoutes(router: Router, context: AppContext): void {
  router.on("PUT", MEMBER, async ({ req, res, params }) => {
    // The body first: everything after it is synchronous, so a reset cannot land in between.
    const body = await readJsonBody(req, memberSchema);
    const { state } = context;
    const guild = guildFrom(state, params.guildId);
    const account = accountFrom(state, params.accountId);
    body.roles?.forEach((roleId, index) => {
      if (!state.guilds.role(guild.id, roleId))
        throw invalidField(`roles.${index}`, "must be the id of a role of this server");
    });
    const current = state.guilds.member(guild.id, account.id);
    const base = current ?? newcomer(account.id, Date.now());
    const permissions = body.permissions === undefined ? base.permissions : BigInt(body.permissions);
    const member: Member = {
      ...base,
      // Owners hold every permission whatever was asked for them.
      permissions: guild.ownerId === account.id ? ALL_PERMISSIONS : permissions,
      roles: body.roles === undefined ? base.roles : [...new Set(body.roles)],
      nick: body.nick === undefined ? base.nick : body.nick,
    };
    state.guilds.putMember(guild.id, member);
    sendJson(res, current ? 200 : 201, memberJson(member));
  });

  router.on("DELETE", MEMBER, ({ res, params }) => {
    const { state } = context;
    const guild = guildFrom(state, params.guildId);
    const member = memberFrom(state, guild, params.accountId);
    // On Discord an owner must hand the server over before leaving it.
    if (guild.ownerId === member.accountId) {
      throw controlError(400, "invalid_request", `The owner cannot be removed from ${guild.name}.`);
    }
    state.guilds.removeMember(guild.id, member.accountId);
    sendNoContent(res);
  });

  // Mirrors Discord's own PUT/DELETE /guilds/{guild.id}/members/{user.id}/roles/{role.id}.
  const memberRole = (params: Readonly<Record<string, string>>) => {
    const { state } = context;
    const guild = guildFrom(state, params.guildId);
    const member = memberFrom(state, guild, params.accountId);
    return { guilds: state.guilds, guild, member, role: roleFrom(state, guild, params.roleId) };
  };

  router.on("PUT", `${MEMBER}/roles/:roleId`, ({ res, params }) => {
    const { guilds, guild, member, role } = memberRole(params);
    if (!member.roles.includes(role.id)) guilds.putMember(guild.id, { ...member, roles: [...member.roles, role.id] });
    sendNoContent(res);
  });

  router.on("DELETE", `${MEMBER}/roles/:roleId`, ({ res, params }) => {
    const { guilds, guild, member, role } = memberRole(params);
    guilds.putMember(guild.id, { ...member, roles: member.roles.filter((id) => id !== role.id) });
    sendNoContent(res);
  });
}
