import type { ServerResponse } from "node:http";
import type { AppContext } from "../app-context";
import { isFormEncoded, readBody } from "../http/body";
import type { IncomingRequest, RouteHandler, Router } from "../http/router";
import { sendHtml } from "../http/respond";
import { crossOriginRefusal } from "../http/same-origin";
import { refusedPage } from "../oauth/error-page";
import { rememberedAccountId } from "../oauth/remembered-account";
import type { EmulatorState } from "../state/emulator-state";
import { type Guild, newcomer } from "../state/guilds";
import { byAddress, guarded } from "../traffic/guarded-route";
import { type InvitedGuild, invalidInvitePage, invitePage, inviteErrorPage, joinedPage } from "./invite-page";

function invited(state: EmulatorState, guild: Guild): InvitedGuild {
  return {
    guild,
    memberCount: Math.max(guild.approximateMemberCount, state.guilds.membersOf(guild.id).length),
    onlineCount: guild.approximatePresenceCount,
  };
}

/**
 * Discord's invite screen (discord.com/invite/{code}), for the emulated accounts: a developer
 * refused by an app's members-only rules can join the server here, offline.
 */
export function registerInviteRoutes(router: Router, context: AppContext): void {
  function renderInvite(
    res: ServerResponse,
    state: EmulatorState,
    guild: Guild,
    choice: { selected?: string; problem?: string },
  ): void {
    const accounts = state.accounts.list();
    const memberIds = new Set(state.guilds.membersOf(guild.id).map((member) => member.accountId));
    // The remembered account when it can still join, otherwise the first that can.
    const joinable = (id: string | undefined) => id !== undefined && !memberIds.has(id) && state.accounts.get(id);
    const selected = joinable(choice.selected)
      ? choice.selected
      : accounts.find((account) => !memberIds.has(account.id))?.id;
    const page = invitePage({ ...invited(state, guild), accounts, memberIds, selected, problem: choice.problem });
    sendHtml(res, choice.problem ? 400 : 200, page);
  }

  function showInvite({ req, res, params }: IncomingRequest): void {
    const { state } = context;
    const guild = state.guilds.findByInviteCode(params.code!);
    if (!guild) return sendHtml(res, 404, invalidInvitePage());
    renderInvite(res, state, guild, { selected: rememberedAccountId(req) });
  }

  async function acceptInvite({ req, res, params }: IncomingRequest): Promise<void> {
    const crossOrigin = crossOriginRefusal(req);
    if (crossOrigin) return sendHtml(res, 403, refusedPage(crossOrigin));
    if (!isFormEncoded(req)) {
      return sendHtml(res, 400, inviteErrorPage("The invite form must be sent as application/x-www-form-urlencoded."));
    }
    const form = new URLSearchParams((await readBody(req)).toString("utf8"));
    // Everything after the body is synchronous, so a reset cannot land in between.
    const { state } = context;
    const guild = state.guilds.findByInviteCode(params.code!);
    if (!guild) return sendHtml(res, 404, invalidInvitePage());

    const accountId = form.get("account_id") ?? "";
    const account = state.accounts.get(accountId);
    if (!account) {
      const problem = accountId === "" ? "Choose an account to join with." : "That account does not exist.";
      return renderInvite(res, state, guild, { problem });
    }
    const alreadyMember = state.guilds.member(guild.id, account.id) !== undefined;
    if (!alreadyMember) state.guilds.putMember(guild.id, newcomer(account.id, Date.now()));
    sendHtml(res, 200, joinedPage(account, invited(state, guild), alreadyMember));
  }

  const guard = (handler: RouteHandler) => guarded(context, "invite_page", byAddress, handler);
  router.on("GET", "/invite/:code", guard(showInvite));
  router.on("POST", "/invite/:code", guard(acceptInvite));
}
