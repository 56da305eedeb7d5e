import type { Account, Locale } from "./accounts";
import { usernameProblem } from "./accounts";
import type { EmulatorState } from "./emulator-state";
import { imageHash } from "./image-hash";

export interface NewAccount {
  readonly username: string;
  readonly globalName?: string | null;
  readonly email?: string | null;
  readonly verified?: boolean;
  /** true gives the account a custom avatar (a generated image hash). */
  readonly avatar?: boolean;
  readonly locale?: Locale;
}

/** On failure, `problem` completes a sentence about the username, e.g. "is already taken". */
export type NewAccountResult = { readonly account: Account } | { readonly problem: string };

/** Adds an account with a migrated-style username (discriminator "0") and a fresh snowflake. */
export function createAccount(state: EmulatorState, input: NewAccount): NewAccountResult {
  const problem = usernameProblem(input.username);
  if (problem) return { problem };
  if (state.accounts.findByUsername(input.username)) return { problem: "is already taken" };
  const id = state.ids.next();
  const account = state.accounts.add({
    id,
    username: input.username,
    globalName: input.globalName ?? null,
    discriminator: "0",
    avatar: input.avatar ? imageHash(`avatar:${id}`) : null,
    email: input.email ?? null,
    verified: input.email ? (input.verified ?? false) : false,
    locale: input.locale ?? "en-US",
    mfaEnabled: false,
    premiumType: 0,
    publicFlags: 0,
  });
  return { account };
}
