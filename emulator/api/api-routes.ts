import type { AppContext } from "../app-context";
import { apiPaths, apiRoutesOn } from "./api-paths";
import { MISSING_ACCESS, UNKNOWN_GUILD, UNKNOWN_INVITE, invalidFormBody, notSnowflake } from "../discord/errors";
import { isSnowflake } from "../discord/snowflake";
import type { IncomingRequest, Router } from "../http/router";
import { sendJson } from "../http/respond";
import { byAddress, guarded } from "../traffic/guarded-route";
import type { RouteKey } from "../traffic/route-keys";
import { applicationJson } from "./application-json";
import { authorize } from "./bearer-auth";
import { botOf } from "./bot-auth";
import { botUserJson } from "./bot-json";
import { guildPage } from "./guild-json";
import { parseGuildsQuery } from "./guilds-query";
import { guildInviteJson } from "./invite-json";
import { guildMemberJson } from "./member-json";
import { currentUserJson, publicUserJson } from "./user-json";

export function registerApiRoutes(router: Router, context: AppContext): void {
  const on = apiRoutesOn(router, context);
  const get = (path: string, route: RouteKey, handler: (request: IncomingRequest) => void) =>
    on("GET", path, route, handler);

  get("/users/@me", "users_me", (request) => {
    const bot = botOf(context, request.req);
    if (bot) return sendJson(request.res, 200, botUserJson(bot));
    const authorized = authorize(context, request, "identify");
    if (!authorized) return;
    const { token, account } = authorized;
    sendJson(request.res, 200, currentUserJson(account, token.scopes.includes("email")));
  });

  /** A person's servers (with the guilds scope), or the bot's with its token. */
  get("/users/@me/guilds", "guilds", (request) => {
    const bot = botOf(context, request.req);
    const authorized = bot ? undefined : authorize(context, request, "guilds");
    if (!bot && !authorized) return;
    const parsed = parseGuildsQuery(request.url.searchParams);
    if ("errors" in parsed) return sendJson(request.res, 400, invalidFormBody(parsed.errors));
    const { guilds } = context.state;
    const memberships = authorized ? guilds.membershipsOf(authorized.account.id) : guilds.botMemberships();
    sendJson(request.res, 200, guildPage(memberships, parsed.query));
  });

  get("/users/@me/guilds/:guildId/member", "guild_member", (request) => {
    const authorized = authorize(context, request);
    if (!authorized) return;
    const { res, params } = request;
    // Unlike the other routes (401, see bearer-auth.ts), a valid token without the scope gets
    // 403 {"message": "Missing Access", "code": 50001} here: the token is good, the resource
    // is out of its reach. Apps must tell the two apart (a grant older than the scope).
    if (!authorized.token.scopes.includes("guilds.members.read")) return sendJson(res, 403, MISSING_ACCESS);
    // Discord validates ids in the path like query parameters: Invalid Form Body naming the field.
    const guildId = params.guildId!;
    if (!isSnowflake(guildId)) return sendJson(res, 400, invalidFormBody({ guild_id: notSnowflake(guildId) }));
    // A server that does not exist and one the user is not in look the same, so neither leaks.
    const member = context.state.guilds.member(guildId, authorized.account.id);
    if (!member) return sendJson(res, 404, UNKNOWN_GUILD);
    sendJson(res, 200, guildMemberJson(authorized.account, member));
  });

  /** Anyone holding an invite may preview its server, signed in or not, so buckets are per address. */
  router.on(
    "GET",
    apiPaths("/invites/:code"),
    guarded(context, "invites", byAddress, ({ res, params }) => {
      const guild = context.state.guilds.findByInviteCode(params.code!);
      if (!guild) return sendJson(res, 404, UNKNOWN_INVITE);
      sendJson(res, 200, guildInviteJson(guild));
    }),
  );

  /** Any valid token may read its own authorization; the user appears only with identify. */
  get("/oauth2/@me", "oauth2_me", (request) => {
    const authorized = authorize(context, request);
    if (!authorized) return;
    const { token, account } = authorized;
    sendJson(request.res, 200, {
      application: applicationJson(context),
      scopes: token.scopes,
      expires: new Date(token.expiresAt ?? Date.now()).toISOString(),
      ...(token.scopes.includes("identify") ? { user: publicUserJson(account) } : {}),
    });
  });
}
