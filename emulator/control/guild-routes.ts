import type { AppContext } from "../app-context";
import { ALL_PERMISSIONS, ORDINARY_MEMBER } from "../discord/permissions";
import type { Router } from "../http/router";
import { sendJson } from "../http/respond";
import { imageHash } from "../state/image-hash";
import { STRANGER_ID } from "../state/seed-guilds";
import { invalidField, readJsonBody } from "./control-json";
import { newGuildSchema } from "./control-schemas";

export function registerGuildRoutes(router: Router, context: AppContext): void {
  router.on("POST", "/_emulator/guilds", async ({ req, res }) => {
    const body = await readJsonBody(req, newGuildSchema);
    const { accounts, guilds, ids } = context.state;
    if (body.owner_id !== undefined && !accounts.get(body.owner_id)) {
      throw invalidField(
        "owner_id",
        "must be the id of an emulated account (leave it out for a server owned by someone else)",
      );
    }
    const members = new Map<string, bigint>();
    (body.members ?? []).forEach((member, index) => {
      if (!accounts.get(member.account_id))
        throw invalidField(`members.${index}.account_id`, "must be the id of an emulated account");
      members.set(member.account_id, member.permissions === undefined ? ORDINARY_MEMBER : BigInt(member.permissions));
    });
    // Owners hold every permission whatever was asked for them.
    if (body.owner_id !== undefined) members.set(body.owner_id, ALL_PERMISSIONS);

    // Real servers have far more members than the emulator has accounts, so the counts may be set.
    const memberCount = body.approximate_member_count ?? members.size;
    if (memberCount < members.size)
      throw invalidField("approximate_member_count", "must be at least the number of members listed");
    const presenceCount = body.approximate_presence_count ?? 0;
    if (presenceCount > memberCount)
      throw invalidField("approximate_presence_count", "must not exceed the member count");

    const id = ids.next();
    const guild = guilds.add(
      {
        id,
        name: body.name,
        icon: body.icon ? imageHash(`icon:${id}`) : null,
        ownerId: body.owner_id ?? STRANGER_ID,
        features: [],
        approximateMemberCount: memberCount,
        approximatePresenceCount: presenceCount,
      },
      members,
    );
    sendJson(res, 201, {
      id: guild.id,
      name: guild.name,
      icon: guild.icon,
      owner_id: guild.ownerId,
      approximate_member_count: guild.approximateMemberCount,
      approximate_presence_count: guild.approximatePresenceCount,
      members: [...members].map(([accountId, permissions]) => ({
        account_id: accountId,
        permissions: permissions.toString(),
      })),
    });
  });
}
