import type { AccessRules } from "~/config.server";

/**
 * When a person's access runs out without a new confirmation from Discord: one interval
 * after the last one, and a grace period for Discord to answer after that. Past it they
 * are not let in on what was known, whatever the reason no check confirmed them (Discord
 * down, this instance's own backlog, a check that failed or still runs elsewhere).
 * Never confirmed (signed in before the rules): already past.
 */
export function accessDeadline(confirmedAt: Date | null, rules: Pick<AccessRules, "recheckMs" | "graceMs">): number {
  return confirmedAt ? confirmedAt.getTime() + rules.recheckMs + rules.graceMs : -Infinity;
}
