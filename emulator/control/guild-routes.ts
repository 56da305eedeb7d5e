import type { AppContext } from "../app-context";
import { BOT_SEED_PERMISSIONS, ORDINARY_MEMBER } from "../discord/permissions";
import type { Router } from "../http/router";
import { sendJson, sendNoContent } from "../http/respond";
import { createGuild } from "../state/new-guild";
import { STRANGER_ID } from "../state/seed-guilds";
import { invalidField, readJsonBody } from "./control-json";
import { botSchema, newGuildSchema, newRoleSchema } from "./control-schemas";
import { botPresenceJson, guildJson, roleJson } from "./guild-json";
import { guildFrom } from "./lookups";

export function registerGuildRoutes(router: Router, context: AppContext): void {
  router.on("POST", "/_emulator/guilds", async ({ req, res }) => {
    const body = await readJsonBody(req, newGuildSchema);
    const { accounts } = context.state;
    if (body.owner_id !== undefined && !accounts.get(body.owner_id)) {
      throw invalidField(
        "owner_id",
        "must be the id of an emulated account (leave it out for a server owned by someone else)",
      );
    }
    const roles = (body.roles ?? []).map((role) => ({ name: role.name, color: role.color ?? 0 }));
    const members = (body.members ?? []).map((member, index) => {
      if (!accounts.get(member.account_id))
        throw invalidField(`members.${index}.account_id`, "must be the id of an emulated account");
      const roleNames = member.roles ?? [];
      roleNames.forEach((name, position) => {
        if (!roles.some((role) => role.name === name))
          throw invalidField(`members.${index}.roles.${position}`, "must be the name of a role listed in roles");
      });
      return {
        accountId: member.account_id,
        permissions: member.permissions === undefined ? ORDINARY_MEMBER : BigInt(member.permissions),
        roleNames,
        nick: member.nick ?? null,
      };
    });

    // Real servers have far more members than the emulator has accounts, so the counts may be set.
    const listed = members.map((member) => member.accountId);
    const memberCount = new Set(body.owner_id === undefined ? listed : [...listed, body.owner_id]).size;
    const approximateMemberCount = body.approximate_member_count ?? memberCount;
    if (approximateMemberCount < memberCount)
      throw invalidField("approximate_member_count", "must be at least the number of members listed");
    const approximatePresenceCount = body.approximate_presence_count ?? 0;
    if (approximatePresenceCount > approximateMemberCount)
      throw invalidField("approximate_presence_count", "must not exceed the member count");

    const guild = createGuild(context.state, {
      name: body.name,
      ownerId: body.owner_id ?? STRANGER_ID,
      icon: body.icon ?? false,
      roles,
      members,
      approximateMemberCount,
      approximatePresenceCount,
      membershipScreening: body.membership_screening ?? false,
    });
    sendJson(res, 201, guildJson(context.state.guilds, context.state.messages, guild));
  });

  router.on("GET", "/_emulator/guilds/:guildId", ({ res, params }) => {
    sendJson(
      res,
      200,
      guildJson(context.state.guilds, context.state.messages, guildFrom(context.state, params.guildId)),
    );
  });

  router.on("POST", "/_emulator/guilds/:guildId/roles", async ({ req, res, params }) => {
    const body = await readJsonBody(req, newRoleSchema);
    const guild = guildFrom(context.state, params.guildId);
    const { guilds, ids } = context.state;
    const role = guilds.addRole(guild.id, { id: ids.next(), name: body.name, color: body.color ?? 0 });
    sendJson(res, 201, roleJson(role));
  });

  // The bot added or removed behind the app's back, as someone on Discord would (kicking it,
  // or adding it from another dashboard); the permissions it holds changed the same way.
  router.on("PUT", "/_emulator/guilds/:guildId/bot", async ({ req, res, params }) => {
    const body = await readJsonBody(req, botSchema);
    const { guilds } = context.state;
    const guild = guildFrom(context.state, params.guildId);
    const current = guilds.botIn(guild.id);
    const permissions =
      body.permissions === undefined ? (current?.permissions ?? BOT_SEED_PERMISSIONS) : BigInt(body.permissions);
    guilds.putBot(guild.id, { permissions, joinedAt: current?.joinedAt ?? Date.now() });
    sendJson(res, current ? 200 : 201, botPresenceJson(guilds.botIn(guild.id)));
  });

  router.on("DELETE", "/_emulator/guilds/:guildId/bot", ({ res, params }) => {
    const guild = guildFrom(context.state, params.guildId);
    context.state.guilds.removeBot(guild.id);
    sendNoContent(res);
  });
}
