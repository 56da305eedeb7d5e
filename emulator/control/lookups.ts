import type { Account } from "../state/accounts";
import type { EmulatorState } from "../state/emulator-state";
import type { Guild, Member, Role } from "../state/guilds";
import { controlError } from "./control-json";

/** The control API's way of naming things in the path: unknown ids answer 404. */
export function accountFrom(state: EmulatorState, id: string | undefined): Account {
  const account = state.accounts.get(id ?? "");
  if (!account) throw controlError(404, "not_found", `No account has the id "${id}".`);
  return account;
}

export function guildFrom(state: EmulatorState, id: string | undefined): Guild {
  const guild = state.guilds.get(id ?? "");
  if (!guild) throw controlError(404, "not_found", `No server has the id "${id}".`);
  return guild;
}

export function memberFrom(state: EmulatorState, guild: Guild, accountId: string | undefined): Member {
  const member = state.guilds.member(guild.id, accountId ?? "");
  if (!member) throw controlError(404, "not_found", `The account "${accountId}" is not a member of ${guild.name}.`);
  return member;
}

export function roleFrom(state: EmulatorState, guild: Guild, roleId: string | undefined): Role {
  const role = state.guilds.role(guild.id, roleId ?? "");
  if (!role) throw controlError(404, "not_found", `${guild.name} has no role with the id "${roleId}".`);
  return role;
}
